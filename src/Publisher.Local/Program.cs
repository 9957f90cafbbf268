using System.Runtime.InteropServices;
using Publisher.Local;
using Publisher.Local.Internal;

// Ctrl+C and SIGTERM both stop the current command cleanly (the embedded web hosts swallow the default handling).
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

// A pipe whose reader went away (`subscribe | head -1`) stops the command too, as SIGPIPE would.
var output = PipeOutput.ForStandardOutput(Console.Out, ReaderGone);
return await Cli.RunAsync(args, output, Console.Error, Environment.GetEnvironmentVariable, stop.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

void ReaderGone()
{
    try
    {
        stop.Cancel();
    }
    catch (ObjectDisposedException)
    {
        // A write after the command returned: nothing left to stop.
    }
}
