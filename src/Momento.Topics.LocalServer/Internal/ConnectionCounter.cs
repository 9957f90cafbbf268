namespace Momento.Topics.LocalServer.Internal;

/// <summary>Counts TCP connections Kestrel accepted, and records their TLS handshakes, via connection middlewares.</summary>
internal sealed class ConnectionCounter
{
    private readonly Lock _gate = new();
    private readonly List<TlsHandshake> _handshakes = [];
    private long _accepted;

    public long Accepted => Interlocked.Read(ref _accepted);

    public IReadOnlyList<TlsHandshake> TlsHandshakes
    {
        get
        {
            lock (_gate)
            {
                return [.. _handshakes];
            }
        }
    }

    public void Increment() => Interlocked.Increment(ref _accepted);

    public void AddTlsHandshake(TlsHandshake handshake)
    {
        lock (_gate)
        {
            _handshakes.Add(handshake);
        }
    }
}
