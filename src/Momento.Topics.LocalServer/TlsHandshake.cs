namespace Momento.Topics.LocalServer;

/// <summary>A completed TLS handshake of the server's TLS mode.</summary>
/// <param name="ServerName">The name the client asked for (SNI); null when it sent none, as for an IP address.</param>
/// <param name="ApplicationProtocol">The protocol agreed by ALPN, such as <c>h2</c>; null when none was.</param>
public sealed record TlsHandshake(string? ServerName, string? ApplicationProtocol);
