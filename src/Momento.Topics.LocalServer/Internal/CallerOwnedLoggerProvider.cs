namespace Momento.Topics.LocalServer.Internal;

/// <summary>A caller's logger provider, which the host must not dispose with the server: it may outlive a restart.</summary>
internal sealed class CallerOwnedLoggerProvider(ILoggerProvider inner) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
