using System.Text.Json;
using Amazon.Lambda.RuntimeSupport;

namespace Lambda.Runtime.Tests;

public sealed class LambdaErrorTests
{
    [Fact]
    public void FromException_PlainException_UsesTypeNameAndMessage()
    {
        var error = LambdaError.FromException(new InvalidOperationException("boom"));

        Assert.Equal("InvalidOperationException", error.ErrorType);
        Assert.Equal("boom", error.ErrorMessage);
    }

    [Fact]
    public void FromException_AggregateOfOne_ReportsInner()
    {
        var error = LambdaError.FromException(new AggregateException(new TimeoutException("slow")));

        Assert.Equal("TimeoutException", error.ErrorType);
        Assert.Equal("slow", error.ErrorMessage);
    }

    [Fact]
    public void ToJsonUtf8_Always_WritesAwsShapeWithEmptyStackTrace()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("quote \" and \n newline");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        using var json = JsonDocument.Parse(LambdaError.FromException(thrown).ToJsonUtf8());

        var root = json.RootElement;
        Assert.Equal("quote \" and \n newline", root.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", root.GetProperty("errorType").GetString());
        Assert.Equal(0, root.GetProperty("stackTrace").GetArrayLength());
        Assert.Equal(3, root.EnumerateObject().Count());
    }
}
