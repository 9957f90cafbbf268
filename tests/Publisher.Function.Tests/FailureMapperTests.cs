using Grpc.Core;
using Momento.Topics.Client;
using Publisher.Function.Internal;

namespace Publisher.Function.Tests;

/// <summary>What the caller is told matches what the client knows about whether the message went out.</summary>
public sealed class FailureMapperTests
{
    [Theory]
    [InlineData(false, "the message was not published")]
    [InlineData(true, "the message may have been published")]
    public void ToProblem_RateLimited_SaysWhetherTheMessageMayHaveBeenPublished(bool mayHaveExecuted, string expected)
    {
        // A stream reset (ENHANCE_YOUR_CALM) after the request was sent is RESOURCE_EXHAUSTED that may have executed.
        var error = new TopicError(MomentoErrorCode.LimitExceededError, "limit", StatusCode.ResourceExhausted, mayHaveExecuted, null, null);

        var problem = FailureMapper.ToProblem(error);

        Assert.Equal(429, problem.Status);
        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ToProblem_CertificateNotTrusted_502MisconfiguredNotPublished()
    {
        // Retrying cannot help, so not the 503 of other connection errors.
        var error = new TopicError(MomentoErrorCode.ConnectionError, "untrusted", StatusCode.Unavailable, MayHaveExecuted: false, TopicError.CertificateNotTrusted, null);

        var problem = FailureMapper.ToProblem(error);

        Assert.Equal((502, Publisher.Contracts.HttpContract.ProblemTypes.UpstreamMisconfigured), (problem.Status, problem.Slug));
        Assert.Contains("was not published", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(503, FailureMapper.ToProblem(error with { ErrorDetail = null }).Status);
    }
}
