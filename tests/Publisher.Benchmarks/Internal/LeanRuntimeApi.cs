using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Publisher.Benchmarks.Internal;

/// <summary>
/// A Lambda Runtime API reduced to what a timing needs, on blocking sockets served by its own threads: no
/// Kestrel, no thread pool between a request's arrival and its timestamp. It answers <c>/next</c> with queued
/// events and takes responses, errors and init errors (202). Timestamps are <see cref="Stopwatch"/> ticks, the
/// monotonic clock the process under test reads too, so its own marks line up with these.
/// </summary>
internal sealed class LeanRuntimeApi : IDisposable
{
    private const string Prefix = "/2018-06-01/runtime/";
    private const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:local-function";
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private readonly Socket _listener;
    private readonly BlockingCollection<Pending> _queue = [];
    private readonly ConcurrentDictionary<string, Pending> _inflight = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Socket> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<long> _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sequence;

    private LeanRuntimeApi()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // Room for every poller of a multi-concurrency runtime connecting at once (the concurrency suite runs 64).
        _listener.Listen(256);
        HostPort = "127.0.0.1:" + ((IPEndPoint)_listener.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        new Thread(AcceptLoop) { IsBackground = true, Name = "lean-runtime-api accept" }.Start();
    }

    /// <summary>host:port for AWS_LAMBDA_RUNTIME_API.</summary>
    public string HostPort { get; }

    /// <summary>Completes with the timestamp at which the first <c>GET /next</c> had fully arrived: the end of init.</summary>
    public Task<long> FirstNextAsync => _firstNext.Task;

    /// <summary>Completes with the body of a <c>/runtime/init/error</c> post.</summary>
    public Task<string> InitErrorAsync => _initError.Task;

    public static LeanRuntimeApi Start() => new();

    /// <summary>Queues an event and waits for the function's answer.</summary>
    public async Task<LeanInvocation> InvokeAsync(string eventJson, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = "req-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
        var pending = new Pending(id, Encoding.UTF8.GetBytes(eventJson), DateTimeOffset.UtcNow + timeout);
        _inflight[id] = pending;
        _queue.Add(pending, cancellationToken);
        try
        {
            return await pending.Result.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _inflight.TryRemove(id, out _);
            return new LeanInvocation(null, null, 0, 0, TimedOut: true);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _queue.CompleteAdding();
        _listener.Dispose();
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        foreach (var pending in _inflight.Values)
        {
            pending.Result.TrySetCanceled();
        }
    }

    private void AcceptLoop()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            connection.NoDelay = true;
            _connections.Add(connection);
            new Thread(() => Serve(connection)) { IsBackground = true, Name = "lean-runtime-api connection" }.Start();
        }
    }

    private void Serve(Socket connection)
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                // One request: headers, then a body by Content-Length or chunks.
                int headerEnd;
                while ((headerEnd = buffer.AsSpan(0, filled).IndexOf(HeaderEnd)) < 0)
                {
                    if (filled == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    var read = connection.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                var arrived = Stopwatch.GetTimestamp();
                var head = Encoding.ASCII.GetString(buffer, 0, headerEnd);
                var lines = head.Split("\r\n");
                var requestLine = lines[0].Split(' ');
                var (method, path) = (requestLine[0], requestLine.Length > 1 ? requestLine[1] : string.Empty);
                var contentLength = 0;
                var chunked = false;
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        continue;
                    }

                    var name = line[..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    {
                        contentLength = int.Parse(value, CultureInfo.InvariantCulture);
                    }
                    else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                    {
                        chunked = true;
                    }
                }

                var consumed = headerEnd + HeaderEnd.Length;
                byte[] body;
                (body, consumed) = chunked
                    ? ReadChunked(connection, ref buffer, ref filled, consumed)
                    : ReadExactly(connection, ref buffer, ref filled, consumed, contentLength);
                var received = Stopwatch.GetTimestamp();
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;

                Handle(connection, method, path, body, arrived, received);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The process went away, or the listener is being disposed.
        }
        finally
        {
            connection.Dispose();
        }
    }

    private void Handle(Socket connection, string method, string path, byte[] body, long arrived, long received)
    {
        if (method == "GET" && path == Prefix + "invocation/next")
        {
            _firstNext.TrySetResult(arrived);
            var pending = _queue.Take(_stopping.Token);
            var deadline = pending.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            var header = Encoding.ASCII.GetBytes(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" +
                $"Lambda-Runtime-Aws-Request-Id: {pending.Id}\r\nLambda-Runtime-Deadline-Ms: {deadline}\r\n" +
                $"Lambda-Runtime-Invoked-Function-Arn: {FunctionArn}\r\n" +
                $"Content-Length: {pending.Event.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n");
            pending.Sent = Stopwatch.GetTimestamp();
            connection.Send([new ArraySegment<byte>(header), new ArraySegment<byte>(pending.Event)]);
            return;
        }

        if (method == "POST" && path == Prefix + "init/error")
        {
            _initError.TrySetResult(Encoding.UTF8.GetString(body));
            Accepted(connection);
            return;
        }

        // invocation/{id}/response or invocation/{id}/error
        var parts = path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..].Split('/') : [];
        if (method == "POST" && parts is ["invocation", var id, "response" or "error"] && _inflight.TryRemove(id, out var invocation))
        {
            var text = Encoding.UTF8.GetString(body);
            invocation.Result.TrySetResult(parts[2] == "response"
                ? new LeanInvocation(text, null, invocation.Sent, received, TimedOut: false)
                : new LeanInvocation(null, text, invocation.Sent, received, TimedOut: false));
            Accepted(connection);
            return;
        }

        var notFound = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray();
        connection.Send(notFound);
    }

    private static void Accepted(Socket connection) =>
        connection.Send("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"status\":\"OK\"}"u8);

    private static (byte[] Body, int Consumed) ReadExactly(Socket connection, ref byte[] buffer, ref int filled, int start, int length)
    {
        Fill(connection, ref buffer, ref filled, start + length);
        return (buffer.AsSpan(start, length).ToArray(), start + length);
    }

    private static (byte[] Body, int Consumed) ReadChunked(Socket connection, ref byte[] buffer, ref int filled, int start)
    {
        using var body = new MemoryStream();
        var position = start;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = buffer.AsSpan(position, filled - position).IndexOf("\r\n"u8)) < 0)
            {
                Fill(connection, ref buffer, ref filled, filled + 1);
            }

            var sizeText = Encoding.ASCII.GetString(buffer, position, lineEnd).Split(';')[0].Trim();
            var size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            position += lineEnd + 2;
            Fill(connection, ref buffer, ref filled, position + size + 2);
            body.Write(buffer, position, size);
            position += size + 2;
            if (size == 0)
            {
                return (body.ToArray(), position);
            }
        }
    }

    private static void Fill(Socket connection, ref byte[] buffer, ref int filled, int needed)
    {
        if (needed > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
        }

        while (filled < needed)
        {
            var read = connection.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (read == 0)
            {
                throw new InvalidOperationException("The connection closed in the middle of a request.");
            }

            filled += read;
        }
    }

    private sealed class Pending(string id, byte[] eventBytes, DateTimeOffset deadline)
    {
        public string Id { get; } = id;

        public byte[] Event { get; } = eventBytes;

        public DateTimeOffset Deadline { get; } = deadline;

        public long Sent { get; set; }

        public TaskCompletionSource<LeanInvocation> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>One invocation's outcome: the response (or error) body, and when the event left and the answer had arrived (Stopwatch ticks).</summary>
internal sealed record LeanInvocation(string? Response, string? Error, long SentTimestamp, long AnsweredTimestamp, bool TimedOut)
{
    public double Milliseconds => Samples.ElapsedMs(SentTimestamp, AnsweredTimestamp);
}
