using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client.Tests.Unit;

/// <summary>How response metadata is read, by the gRPC over HTTP/2 spec.</summary>
public sealed class GrpcResponseTests
{
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
