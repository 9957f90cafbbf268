namespace Momento.Topics.LocalServer.Internal;

/// <summary>Counts TCP connections Kestrel accepted, via a connection middleware.</summary>
internal sealed class ConnectionCounter
{
    private long _accepted;

    public long Accepted => Interlocked.Read(ref _accepted);

    public void Increment() => Interlocked.Increment(ref _accepted);
}
