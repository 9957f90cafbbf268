using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// A request compression (gzip, deflate) whose output is cut off at the message limit: gRPC checks the
/// compressed size only, and a few KB can inflate to megabytes.
/// </summary>
internal sealed class BoundedDecompression : ICompressionProvider
{
    private readonly ICompressionProvider _inner;
    private readonly int _maxBytes;
    private readonly Func<RpcException> _tooLarge;

    public BoundedDecompression(ICompressionProvider inner, int maxBytes, Func<RpcException> tooLarge)
    {
        _inner = inner;
        _maxBytes = maxBytes;
        _tooLarge = tooLarge;
    }

    public string EncodingName => _inner.EncodingName;

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        _inner.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream) =>
        new LimitedReadStream(_inner.CreateDecompressionStream(stream), _maxBytes, _tooLarge, EncodingName);

    /// <summary>Reads through, and throws the given exception once more than the limit has come out.</summary>
    private sealed class LimitedReadStream : Stream
    {
        private readonly Stream _inner;
        private readonly long _maxBytes;
        private readonly Func<RpcException> _tooLarge;
        private readonly string _encoding;
        private long _read;

        public LimitedReadStream(Stream inner, long maxBytes, Func<RpcException> tooLarge, string encoding)
        {
            _inner = inner;
            _maxBytes = maxBytes;
            _tooLarge = tooLarge;
            _encoding = encoding;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // Never ask for more than one byte past the limit, so an inflating stream cannot outrun the check.
            var allowed = (int)Math.Min(buffer.Length, _maxBytes - _read + 1);
            int read;
            try
            {
                read = _inner.Read(buffer[..allowed]);
            }
            catch (InvalidDataException)
            {
                // gRPC's status for a message that does not decompress with an encoding the server supports.
                throw new RpcException(new Status(StatusCode.Internal, $"The request message does not decompress as {_encoding}."));
            }

            _read += read;
            return _read > _maxBytes ? throw _tooLarge() : read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
