using System.Runtime.InteropServices;
using Publisher.Local;

// Ctrl+C and SIGTERM both stop the current command cleanly (the embedded web hosts swallow the default handling).
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

return await Cli.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, stop.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
