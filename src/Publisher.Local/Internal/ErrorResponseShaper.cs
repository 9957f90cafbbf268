using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Functions.Common.Http;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Publisher.Local.Internal;

/// <summary>
/// Gives the responses Kestrel writes on its own a problem+json body. A request Kestrel cannot parse (bad request
/// line, an HTTP version it does not speak, a URL or headers over its limits, a header timeout) never reaches the
/// app: Kestrel answers it with an empty 4xx/5xx and closes the connection, and offers no hook to shape that
/// answer. This connection middleware sits between Kestrel and the socket. While the app is handling a request
/// the bytes pass straight through; between requests anything Kestrel writes is its own error response, which is
/// rewritten to carry the problem (unless the request was a HEAD, whose response has no body).
/// </summary>
internal sealed class ErrorResponseShaper : IDuplexPipe
{
    private static readonly object ItemKey = new();

    private readonly ShapingWriter _output;
    private readonly RequestStartReader _input;
    private readonly int _maxBodyBytes;
    private readonly ProblemTypeBase _problemTypes;
    private volatile bool _appActive;

    private ErrorResponseShaper(IDuplexPipe transport, int maxBodyBytes, ProblemTypeBase problemTypes)
    {
        _maxBodyBytes = maxBodyBytes;
        _problemTypes = problemTypes;
        _input = new RequestStartReader(transport.Input);
        _output = new ShapingWriter(transport.Output, this);
    }

    public PipeReader Input => _input;

    public PipeWriter Output => _output;

    /// <summary>The connection middleware: wraps each connection's transport.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(int maxBodyBytes) => next => connection =>
    {
        var local = connection.LocalEndPoint as System.Net.IPEndPoint;
        var shaper = new ErrorResponseShaper(connection.Transport, maxBodyBytes, GatewayProblems.TypesFor(local?.Address, local?.Port ?? 0));
        connection.Items[ItemKey] = shaper;
        connection.Transport = shaper;
        return next(connection);
    };

    /// <summary>Called by the app when a request reaches it: its response passes through untouched until it is complete.</summary>
    public static void TrackAppResponse(HttpContext context)
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var item) == true && item is ErrorResponseShaper shaper)
        {
            shaper._appActive = true;
            context.Response.OnCompleted(static state =>
            {
                var completed = (ErrorResponseShaper)state;
                completed._appActive = false;
                completed._input.ExpectRequestStart();
                return Task.CompletedTask;
            }, shaper);
        }
    }

    // Kestrel's own error response: "HTTP/1.1 <status> <reason>\r\n<headers with Content-Length: 0>\r\n\r\n".
    private byte[]? Shape(ReadOnlySpan<byte> written)
    {
        var text = Encoding.ASCII.GetString(written);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (_input.IsHead || end < 0 || end + 4 != text.Length || !text.StartsWith("HTTP/1.", StringComparison.Ordinal) || text.Length < 12
            || !int.TryParse(text.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 400)
        {
            return null;
        }

        var lines = text[..end].Split("\r\n");
        if (!lines.Skip(1).Any(line => line.Equals("Content-Length: 0", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var body = GatewayProblems.ForStatus(status, _maxBodyBytes).ToResponse(_problemTypes, GatewayProblems.NewRequestId()).Body;
        var head = new StringBuilder();
        foreach (var line in lines.Where(line => !line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append(line).Append("\r\n");
        }

        head.Append("Content-Type: ").Append(Functions.Common.Http.MediaTypes.ProblemJson).Append("\r\n");
        head.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    /// <summary>Passes writes through while the app responds; between requests, holds them until the flush and shapes them.</summary>
    private sealed class ShapingWriter(PipeWriter inner, ErrorResponseShaper shaper) : PipeWriter
    {
        private readonly ArrayBufferWriter<byte> _held = new();
        private bool _holding;

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + _held.WrittenCount;

        public override void Advance(int bytes)
        {
            if (_holding)
            {
                _held.Advance(bytes);
            }
            else
            {
                inner.Advance(bytes);
            }
        }

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            _holding = !shaper._appActive;
            return _holding ? _held.GetMemory(sizeHint) : inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0)
        {
            _holding = !shaper._appActive;
            return _holding ? _held.GetSpan(sizeHint) : inner.GetSpan(sizeHint);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Release();
            return inner.FlushAsync(cancellationToken);
        }

        public override void Complete(Exception? exception = null)
        {
            Release();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            Release();
            return inner.CompleteAsync(exception);
        }

        private void Release()
        {
            if (_held.WrittenCount == 0)
            {
                return;
            }

            inner.Write(shaper.Shape(_held.WrittenSpan) ?? _held.WrittenSpan);
            _held.Clear();
        }
    }

    /// <summary>Notes whether the next request on the connection is a HEAD (its error response must stay bodiless).</summary>
    private sealed class RequestStartReader(PipeReader inner) : PipeReader
    {
        private static readonly byte[] Head = "HEAD "u8.ToArray();
        private volatile bool _atRequestStart = true;

        public bool IsHead { get; private set; }

        public void ExpectRequestStart()
        {
            IsHead = false;
            _atRequestStart = true;
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            _atRequestStart ? NotingAsync(inner.ReadAsync(cancellationToken)) : inner.ReadAsync(cancellationToken);

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            Note(result);
            return true;
        }

        private async ValueTask<ReadResult> NotingAsync(ValueTask<ReadResult> read)
        {
            var result = await read.ConfigureAwait(false);
            Note(result);
            return result;
        }

        private void Note(ReadResult result)
        {
            if (!_atRequestStart || result.Buffer.Length < Head.Length)
            {
                return;
            }

            Span<byte> start = stackalloc byte[5];
            result.Buffer.Slice(0, Head.Length).CopyTo(start);
            IsHead = start.SequenceEqual(Head);
            _atRequestStart = false;
        }
    }
}
