using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Publisher.Benchmarks.Internal;

/// <summary>
/// The AWS Parameters and Secrets extension as a function sees it: HTTP/1.1 on 127.0.0.1 (the extension runs beside
/// the function, so the function's call to it is loopback), <c>GET /secretsmanager/get?secretId=</c> with the
/// session token in <c>X-Aws-Parameters-Secrets-Token</c>, the GetSecretValue JSON in return. Its own call to
/// Secrets Manager crosses the network: a cold extension has no connection yet, so its first read pays TCP, a TLS 1.3
/// handshake and the GetSecretValue request (three round trips); later reads come from its cache, and a
/// <c>refreshNow</c> read pays one round trip on the connection it keeps.
/// </summary>
internal sealed class SecretsExtensionStandIn : IDisposable
{
    /// <summary>The session token both sides use.</summary>
    public const string SessionToken = "bench-session-token";

    /// <summary>The secret's id.</summary>
    public const string SecretId = "bench/momento-api-key";

    /// <summary>Round trips a cold extension's first read pays to Secrets Manager: TCP, TLS 1.3, GetSecretValue.</summary>
    public const int ColdReadRoundTrips = 3;

    private readonly Socket _listener;
    private readonly string _secretString;
    private readonly long _roundTripTicks;
    private volatile bool _disposed;
    private int _reads;

    private SecretsExtensionStandIn(Socket listener, string secretString, double secretsManagerRoundTripMs)
    {
        _listener = listener;
        _secretString = secretString;
        SecretsManagerRoundTripMs = secretsManagerRoundTripMs;
        _roundTripTicks = (long)(secretsManagerRoundTripMs * Stopwatch.Frequency / 1000);
        new Thread(AcceptLoop) { IsBackground = true, Name = "secrets-extension accept" }.Start();
    }

    /// <summary>The modelled round trip to Secrets Manager.</summary>
    public double SecretsManagerRoundTripMs { get; }

    /// <summary>What the first read of a cold extension costs on the network.</summary>
    public double ColdReadMs => ColdReadRoundTrips * SecretsManagerRoundTripMs;

    /// <summary>The port (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Starts a stand-in that holds <paramref name="secretString"/> under <see cref="SecretId"/>.</summary>
    public static SecretsExtensionStandIn Start(string secretString, double secretsManagerRoundTripMs)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        return new SecretsExtensionStandIn(listener, secretString, secretsManagerRoundTripMs);
    }

    /// <summary>The environment a function needs to read the secret through it.</summary>
    public Dictionary<string, string?> Environment() => new(StringComparer.Ordinal)
    {
        ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["AWS_SESSION_TOKEN"] = SessionToken,
        ["MOMENTO_API_KEY_SECRET_ID"] = SecretId,
    };

    /// <summary>A fresh extension per execution environment: the next read is a cold one again.</summary>
    public void Reset() => Volatile.Write(ref _reads, 0);

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            try
            {
                var connection = _listener.Accept();
                connection.NoDelay = true;
                new Thread(() => Serve(connection)) { IsBackground = true, Name = "secrets-extension connection" }.Start();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void Serve(Socket connection)
    {
        using var _ = connection;
        var buffer = new byte[16 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                int end;
                while ((end = HeaderEnd(buffer.AsSpan(0, filled))) < 0)
                {
                    if (filled == buffer.Length)
                    {
                        return;
                    }

                    var read = connection.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                var head = Encoding.ASCII.GetString(buffer, 0, end);
                buffer.AsSpan(end + 4, filled - end - 4).CopyTo(buffer);
                filled -= end + 4;
                connection.Send(Answer(head));
            }
        }
        catch (SocketException)
        {
        }
    }

    private byte[] Answer(string head)
    {
        var lines = head.Split("\r\n");
        var target = lines[0].Split(' ') is [_, var t, ..] ? t : string.Empty;
        var token = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("X-Aws-Parameters-Secrets-Token", StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).FirstOrDefault();
        if (token != SessionToken)
        {
            return Response(401, "{\"message\":\"missing or wrong X-Aws-Parameters-Secrets-Token\"}");
        }

        var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : string.Empty;
        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty, StringComparer.Ordinal);
        if (!target.StartsWith("/secretsmanager/get?", StringComparison.Ordinal) || parameters.GetValueOrDefault("secretId") != SecretId)
        {
            return Response(400, "{\"message\":\"unknown secret\"}");
        }

        var roundTrips = Interlocked.Increment(ref _reads) == 1 ? ColdReadRoundTrips : parameters.GetValueOrDefault("refreshNow") == "true" ? 1 : 0;
        DelayProxy.WaitUntil(Stopwatch.GetTimestamp() + (roundTrips * _roundTripTicks));
        var body = new JsonObject
        {
            ["ARN"] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + SecretId,
            ["Name"] = SecretId,
            ["SecretString"] = _secretString,
            ["VersionId"] = "00000000-0000-0000-0000-000000000001",
            ["VersionStages"] = new JsonArray("AWSCURRENT"),
        };
        return Response(200, body.ToJsonString());
    }

    private static byte[] Response(int status, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var head = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }

    private static int HeaderEnd(ReadOnlySpan<byte> bytes) => bytes.IndexOf("\r\n\r\n"u8);
}
