using Amazon.Lambda.RuntimeSupport;
using Functions.Common.Observability;

namespace Functions.Common.Hosting;

/// <summary>How a function's <c>bootstrap</c> process ends: the runtime loop's outcome as its exit code.</summary>
public static class BootstrapExit
{
    /// <summary>Runs <paramref name="bootstrap"/> until it stops: 0 after a clean stop, 1 (logged) when it failed.</summary>
    public static async Task<int> RunAsync(LambdaBootstrap bootstrap, FunctionLog log)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(log);
        try
        {
            await bootstrap.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception e)
        {
            // The runtime already logged and reported it (init error) or it is fatal (the Runtime API failed): exit non-zero.
            log.Error("The runtime stopped", w => w.WriteString("errorType", e.GetType().Name));
            return 1;
        }
    }
}
