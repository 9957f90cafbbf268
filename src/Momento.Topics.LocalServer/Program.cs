using System.Runtime.InteropServices;
using CommandLineSupport;
using Momento.Topics.LocalServer.Internal;

using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    // Stop gracefully (streams end with UNAVAILABLE) instead of the runtime's default termination.
    context.Cancel = true;
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

return await CommandLineRunner.InvokeAsync(CommandLine.Create(), args, Console.Out, Console.Error, stop.Token);
