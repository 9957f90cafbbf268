namespace Amazon.Lambda.RuntimeSupport;

/// <summary>Settings of <see cref="LambdaBootstrap.RunAsync"/>; use <c>with</c> to change a copy.</summary>
public sealed record LambdaBootstrapOptions
{
    /// <summary>host:port of the Runtime API. Default null: read env AWS_LAMBDA_RUNTIME_API (a dev runner may
    /// set it from a <c>--runtime-api-endpoint</c> argument). Ignored when <see cref="Client"/> is set.</summary>
    public string? RuntimeApiEndpoint { get; init; }

    /// <summary>Handle one invocation, then exit. Default: env AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE is "true".</summary>
    public bool RunOnce { get; init; } =
        string.Equals(Environment.GetEnvironmentVariable(LambdaEnvironment.DebugRunOnce), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Runtime API client to use (a test seam). Default null: a <see cref="RuntimeApiClient"/> for the endpoint, disposed at exit.</summary>
    public IRuntimeApiClient? Client { get; init; }

    /// <summary>Clock for deadlines. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the loop writes its own diagnostics (init and handler failures). Default <see cref="Console.Error"/>.</summary>
    public TextWriter Log { get; init; } = Console.Error;
}
