using Grpc.Core;
using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client.Tests.Unit;

/// <summary>How response metadata is read, by the gRPC over HTTP/2 spec.</summary>
public sealed class GrpcResponseTests
{
    [Theory]
    [InlineData("caf%C3%A9%20ok", "café ok")]
    [InlineData("100%", "100%")] // a lone percent sign
    [InlineData("bad%zz and %E2%82 cut", "bad%zz and %E2%82 cut")] // not hex, and a truncated UTF-8 sequence: kept as they are
    public void GetStatus_GrpcMessage_PercentDecodedWithBrokenEscapesKept(string sent, string expected)
    {
        using var response = new HttpResponseMessage();
        response.TrailingHeaders.TryAddWithoutValidation("grpc-status", "13");
        response.TrailingHeaders.TryAddWithoutValidation("grpc-message", sent);

        var status = GrpcResponse.GetStatus(response);

        Assert.Equal((StatusCode.Internal, expected), (status.StatusCode, status.Detail));
    }

    [Fact]
    public void BuildMetadata_BinaryValuesJoinedOrRepeated_EachDecoded()
    {
        using var response = new HttpResponseMessage();
        // "Duplicate header names may have their values joined with ','... Implementations must split Binary-Headers on ','."
        response.TrailingHeaders.TryAddWithoutValidation("trace-bin", "AQI,AwQ=");
        response.TrailingHeaders.TryAddWithoutValidation("span-bin", "BQ");
        response.TrailingHeaders.TryAddWithoutValidation("span-bin", "Bg==");

        var metadata = GrpcResponse.BuildMetadata(response.TrailingHeaders);

        byte[][] trace = [[1, 2], [3, 4]];
        byte[][] span = [[5], [6]];
        Assert.Equal(trace, metadata.GetAll("trace-bin").Select(e => e.ValueBytes).ToArray());
        Assert.Equal(span, metadata.GetAll("span-bin").Select(e => e.ValueBytes).ToArray());
    }
}
