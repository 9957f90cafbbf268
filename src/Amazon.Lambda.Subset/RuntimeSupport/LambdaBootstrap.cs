using Amazon.Lambda.Subset.Internal;

namespace Amazon.Lambda.RuntimeSupport;

/// <summary>The runtime loop of a custom-runtime <c>bootstrap</c>: init once, then next → handler → response or error
/// (official: Amazon.Lambda.RuntimeSupport; no SnapStart or response streaming). With <c>AWS_LAMBDA_MAX_CONCURRENCY</c>
/// set (Lambda Managed Instances) it serves many invocations at once, as the official runtime does.</summary>
public class LambdaBootstrap : IDisposable
{
    private readonly LambdaBootstrapHandler _handler;
    private readonly LambdaBootstrapInitializer _initializer;
    private readonly RuntimeApiClient _client;
    private bool _disposed;

    /// <summary>Creates a bootstrap over a wrapped handler and an optional initializer; the Runtime API is env AWS_LAMBDA_RUNTIME_API.</summary>
    public LambdaBootstrap(HandlerWrapper handlerWrapper, LambdaBootstrapInitializer initializer = null)
    {
        ArgumentNullException.ThrowIfNull(handlerWrapper);
        _handler = handlerWrapper.Handler;
        _initializer = initializer;

        // Like the official client, this redirects Console through the runtime's log formatting.
        _client = new RuntimeApiClient();
    }

    /// <summary>Runs the initializer, then serves invocations until <paramref name="cancellationToken"/> is cancelled
    /// (or one per polling loop, when env AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE is "true"). An initializer exception is logged,
    /// reported to <c>/runtime/init/error</c> and rethrown; a handler exception is logged and reported to
    /// <c>/runtime/invocation/{id}/error</c>. One invocation at a time (the default), a Runtime API failure is thrown
    /// (the process must exit). With <c>AWS_LAMBDA_MAX_CONCURRENCY</c> set, several loops poll for events
    /// (<c>AWS_LAMBDA_DOTNET_PROCESSING_TASKS</c>, else that maximum, else max(2, processors)), each handing an event
    /// to its own task and polling again at once, and a failure of one poll or invocation is swallowed so the others go on.</summary>
    /// <exception cref="ArgumentException">AWS_LAMBDA_DOTNET_PROCESSING_TASKS is set but not a positive integer (after init).</exception>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        MemoryLimit.Apply(_client.Function.MemoryLimitInMB);
        MultiConcurrency.AdjustThreadPool(Environment.ProcessorCount);
        var runOnce = string.Equals(Environment.GetEnvironmentVariable(EnvironmentNames.DebugRunOnce), "true", StringComparison.OrdinalIgnoreCase);
        if (_initializer is not null && !await InitializeAsync().ConfigureAwait(false))
        {
            return;
        }

        var loops = MultiConcurrency.ProcessingTaskCount(Environment.ProcessorCount);
        if (loops == 1)
        {
            await ProcessingLoopAsync(runOnce, cancellationToken).ConfigureAwait(false);
            return;
        }

        var running = new Task[loops];
        for (var i = 0; i < loops; i++)
        {
            running[i] = ProcessingLoopAsync(runOnce, cancellationToken);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the Runtime API client.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _client.Dispose();
        }

        _disposed = true;
    }

    private async Task<bool> InitializeAsync()
    {
        try
        {
            return await _initializer().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _client.ConsoleLogger.WriteException(exception);
            await _client.ReportInitializationErrorAsync(exception).ConfigureAwait(false);
            throw;
        }
    }

    private async Task ProcessingLoopAsync(bool runOnce, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await InvokeOnceAsync(cancellationToken).ConfigureAwait(false);
                if (runOnce)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                // The long poll for /next timed out: poll again, as the official loop does.
            }
            catch (Exception) when (MultiConcurrency.IsOn)
            {
                // As the official runtime: under multi-concurrency one loop's failure must not end the others' invocations.
            }
        }
    }

    private async Task InvokeOnceAsync(CancellationToken cancellationToken)
    {
        var invocation = await _client.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false);
        if (MultiConcurrency.IsOn)
        {
            // Handed to its own task, so this loop asks for the next event at once; Lambda sends no more than the
            // environment's maximum concurrency.
            _ = Task.Run(() => ProcessAsync(invocation, swallowFailures: true, cancellationToken), cancellationToken);
        }
        else
        {
            await ProcessAsync(invocation, swallowFailures: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(InvocationRequest invocation, bool swallowFailures, CancellationToken cancellationToken)
    {
        using (invocation)
        {
            try
            {
                var context = invocation.LambdaContext;
                SetInvocation(context.AwsRequestId, context.TraceId);
                InvocationResponse response;
                try
                {
                    response = await _handler(invocation).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    _client.ConsoleLogger.WriteException(exception);
                    await _client.ReportInvocationErrorAsync(context.AwsRequestId, exception, cancellationToken).ConfigureAwait(false);
                    return;
                }

                try
                {
                    await _client.SendResponseAsync(context.AwsRequestId, response?.OutputStream, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (response is { DisposeOutputStream: true })
                    {
                        await (response.OutputStream?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception) when (swallowFailures)
            {
                // A failed post of this invocation's answer is not the other invocations' concern (official behaviour).
            }
        }
    }

    // What the invocation's code sees of it beyond its context: its log records' request and trace ids, and the trace
    // id of LambdaTraceProvider, on this async flow; one invocation at a time, also _X_AMZN_TRACE_ID, which the X-Ray
    // SDK reads (an absent header clears the previous one). Concurrent invocations would overwrite each other's variable,
    // so under multi-concurrency it is left alone, as the official runtime does.
    private void SetInvocation(string awsRequestId, string traceId)
    {
        if (!MultiConcurrency.IsOn)
        {
            Environment.SetEnvironmentVariable(EnvironmentNames.TraceId, traceId);
        }

        Amazon.Lambda.Core.LambdaTraceProvider.SetCurrentTraceId(traceId);
        _client.ConsoleLogger.SetInvocation(awsRequestId, traceId);
    }
}
