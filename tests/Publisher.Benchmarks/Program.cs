using Publisher.Benchmarks;

// Ctrl+C stops the run.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await BenchmarkRunner.RunAsync(args, Console.Out, cancellation.Token);
