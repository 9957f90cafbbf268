namespace Amazon.Lambda.RuntimeSupport;

/// <summary>The runtime loop of a custom-runtime <c>bootstrap</c>: init once, then next → handler → response or error.</summary>
public static class LambdaBootstrap
{
    /// <summary>Longest delay a <see cref="CancellationTokenSource"/> accepts.</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Runs <paramref name="initializer"/> once, then serves invocations until cancelled (or one, with RunOnce).</summary>
    /// <returns>The process exit code: 0 after a clean stop; 1 when init failed (reported to /runtime/init/error)
    /// or the Runtime API failed (error answer, connection lost). A handler's exception is reported to
    /// /invocation/{id}/error and does not end the loop.</returns>
    /// <exception cref="InvalidOperationException">No client, no endpoint and no AWS_LAMBDA_RUNTIME_API.</exception>
    public static async Task<int> RunAsync(
        Func<CancellationToken, Task<LambdaHandler>> initializer,
        LambdaBootstrapOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        options ??= new LambdaBootstrapOptions();

        var ownedClient = options.Client is null ? new RuntimeApiClient(ResolveEndpoint(options), options.TimeProvider) : null;
        try
        {
            return await RunLoopAsync(initializer, options, options.Client ?? ownedClient!, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ownedClient?.Dispose();
        }
    }

    private static async Task<int> RunLoopAsync(
        Func<CancellationToken, Task<LambdaHandler>> initializer,
        LambdaBootstrapOptions options,
        IRuntimeApiClient client,
        CancellationToken cancellationToken)
    {
        var log = options.Log;
        LambdaHandler handler;
        try
        {
            handler = await initializer(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e)
        {
            await log.WriteLineAsync($"Init failed: {e}").ConfigureAwait(false);
            try
            {
                await client.ReportInitializationErrorAsync(LambdaError.FromException(e), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception reportFailure)
            {
                await log.WriteLineAsync($"Reporting the init error failed: {reportFailure.Message}").ConfigureAwait(false);
            }

            return 1;
        }

        try
        {
            do
            {
                var invocation = await client.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false);
                await InvokeOnceAsync(handler, invocation, client, options, cancellationToken).ConfigureAwait(false);
            }
            while (!options.RunOnce && !cancellationToken.IsCancellationRequested);

            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e)
        {
            await log.WriteLineAsync($"The Runtime API failed; exiting: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task InvokeOnceAsync(
        LambdaHandler handler,
        InvocationRequest invocation,
        IRuntimeApiClient client,
        LambdaBootstrapOptions options,
        CancellationToken cancellationToken)
    {
        var requestId = invocation.LambdaContext.AwsRequestId;
        var remaining = invocation.LambdaContext.Deadline - options.TimeProvider.GetUtcNow();
        remaining = remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining > MaxTimerDelay ? MaxTimerDelay : remaining;
        using var deadline = new CancellationTokenSource(remaining, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);

        ReadOnlyMemory<byte> response;
        try
        {
            response = await handler(invocation, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // shutting down: nothing to report
        }
        catch (Exception e)
        {
            await options.Log.WriteLineAsync($"Invocation {requestId} failed: {e}").ConfigureAwait(false);
            await client.ReportInvocationErrorAsync(requestId, LambdaError.FromException(e), cancellationToken).ConfigureAwait(false);
            return;
        }

        await client.SendResponseAsync(requestId, response, cancellationToken).ConfigureAwait(false);
    }

    private static string ResolveEndpoint(LambdaBootstrapOptions options)
    {
        var endpoint = options.RuntimeApiEndpoint ?? Environment.GetEnvironmentVariable(LambdaEnvironment.RuntimeApi);
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            throw new InvalidOperationException(
                $"No Runtime API endpoint: set the environment variable {LambdaEnvironment.RuntimeApi} (host:port) or {nameof(LambdaBootstrapOptions)}.{nameof(LambdaBootstrapOptions.RuntimeApiEndpoint)}.");
        }

        return endpoint;
    }
}
