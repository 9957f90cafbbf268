using System.Runtime.InteropServices;
using Momento.Topics.LocalServer;
using Momento.Topics.LocalServer.Internal;

var options = CommandLine.Parse(args, out var help, out var error);
if (help)
{
    Console.Out.Write(CommandLine.Usage);
    return 0;
}
if (options is null)
{
    Console.Error.WriteLine("error: " + error);
    Console.Error.WriteLine("Run with --help for usage.");
    return 2;
}

using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    // Stop gracefully (streams end with UNAVAILABLE) instead of the runtime's default termination.
    context.Cancel = true;
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

LocalTopicsServer server;
try
{
    server = await LocalTopicsServer.StartAsync(options, stop.Token);
}
catch (Exception ex) when (ex is IOException or OperationCanceledException)
{
    Console.Error.WriteLine($"error: cannot listen on {options.Host}:{options.Port}: {ex.Message}");
    return 1;
}

await using (server)
{
    var auth = options.RequiredApiKey is null ? "any authorization accepted" : "API key required";
    Console.Out.WriteLine($"Momento Topics local server listening on http://{server.HostPort} (caches: {string.Join(", ", options.Caches)}; {auth})");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // Ctrl+C or SIGTERM.
    }
    await server.StopAsync(CancellationToken.None);
}
return 0;
