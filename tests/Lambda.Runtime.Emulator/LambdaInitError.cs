namespace Lambda.Runtime.Emulator;

/// <summary>What the runtime posted to /runtime/init/error.</summary>
/// <param name="ErrorType">errorType from the body, if it was JSON.</param>
/// <param name="ErrorMessage">errorMessage from the body, if it was JSON.</param>
/// <param name="RawBody">The body as posted.</param>
public sealed record LambdaInitError(string? ErrorType, string? ErrorMessage, string RawBody);
