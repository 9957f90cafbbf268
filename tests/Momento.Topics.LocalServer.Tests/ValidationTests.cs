using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Protos.CachePing;
using Momento.Topics.LocalServer.Tests.Infrastructure;

namespace Momento.Topics.LocalServer.Tests;

public sealed class ValidationTests
{
    // The official SDKs read NOT_FOUND with `err: store_not_found` as a missing Momento Storage store and
    // `item_not_found` as a missing item; only NOT_FOUND without `err` is reported as a missing cache.
    [Fact]
    public async Task Publish_UnknownCache_NotFoundWithMessageAndNoErrTrailer()
    {
        await using var harness = await Harness.StartAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync("t", "x", cache: "nope"));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("A cache with the specified name does not exist", ex.Status.Detail);
        Assert.Null(ex.Trailers.Get("err"));
    }

    [Fact]
    public async Task Subscribe_UnknownCache_NotFoundWithMessageAndNoErrTrailer()
    {
        await using var harness = await Harness.StartAsync();
        using var subscription = harness.Subscribe("t", cache: "nope");

        var ex = await subscription.ErrorAsync();

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("A cache with the specified name does not exist", ex.Status.Detail);
        Assert.Null(ex.Trailers.Get("err"));
    }

    [Theory]
    [InlineData("", "t")]
    [InlineData("   ", "t")]
    [InlineData(Harness.Cache, "")]
    [InlineData(Harness.Cache, " \t")]
    public async Task PublishAndSubscribe_BlankName_InvalidArgument(string cache, string topic)
    {
        await using var harness = await Harness.StartAsync();

        var publish = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync(topic, "x", cache: cache));
        using var subscription = harness.Subscribe(topic, cache: cache);
        var subscribe = await subscription.ErrorAsync();

        Assert.Equal(StatusCode.InvalidArgument, publish.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, subscribe.StatusCode);
    }

    [Fact]
    public async Task Publish_ValueMissingOrKindUnset_InvalidArgument()
    {
        await using var harness = await Harness.StartAsync();

        var missing = await Assert.ThrowsAsync<RpcException>(() => harness.Pubsub.PublishAsync(
            new _PublishRequest { CacheName = Harness.Cache, Topic = "t" }).ResponseAsync.DefaultTimeout());
        var unset = await Assert.ThrowsAsync<RpcException>(() => harness.PublishAsync("t", new _TopicValue()));

        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, unset.StatusCode);
    }

    [Fact]
    public async Task Publish_AtSizeLimit_AcceptedAndDeliveredWhole()
    {
        await using var harness = await Harness.StartAsync();
        using var subscription = await harness.SubscribeLiveAsync("t");
        var ascii = new string('a', 4096);
        var twoByte = string.Concat(Enumerable.Repeat("é", 2048));

        await harness.PublishTextAsync("t", ascii);
        await harness.PublishTextAsync("t", twoByte);
        await harness.PublishAsync("t", Harness.Binary(new byte[4096]));

        Assert.Equal(ascii, (await subscription.NextItemAsync()).Value.Text);
        Assert.Equal(twoByte, (await subscription.NextItemAsync()).Value.Text);
        Assert.Equal(4096, (await subscription.NextItemAsync()).Value.Binary.Length);
    }

    [Theory]
    [InlineData("ascii text")]
    [InlineData("two-byte text")]
    [InlineData("binary")]
    public async Task Publish_OverSizeLimit_ResourceExhaustedWithErrTrailer(string label)
    {
        var value = label switch
        {
            "ascii text" => new _TopicValue { Text = new string('a', 4097) },
            // 2049 characters, 4098 UTF-8 bytes: the limit counts bytes, not characters.
            "two-byte text" => new _TopicValue { Text = string.Concat(Enumerable.Repeat("é", 2049)) },
            _ => Harness.Binary(new byte[4097]),
        };
        await using var harness = await Harness.StartAsync();
        using var subscription = await harness.SubscribeLiveAsync("t");

        var ex = await Assert.ThrowsAsync<RpcException>(() => harness.PublishAsync("t", value));
        await harness.PublishTextAsync("t", "small");

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("request_size_limit_exceeded", ex.Trailers.GetValue("err"));
        // The rejected value took no sequence number.
        var item = await subscription.NextItemAsync();
        Assert.Equal(1UL, item.TopicSequenceNumber);
        Assert.Equal("small", item.Value.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("")]
    public async Task AllRpcs_KeyRequiredAndMissingOrWrong_Unauthenticated(string? key)
    {
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions { RequiredApiKey = "s3cret" });
        var headers = new Metadata();
        if (key is not null)
        {
            headers.Add("authorization", key);
        }

        var publish = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync("t", "x", headers));
        var ping = await Assert.ThrowsAsync<RpcException>(() => harness.Ping.PingAsync(new _PingRequest(), headers).ResponseAsync.DefaultTimeout());
        using var subscription = harness.Subscribe("t", headers: headers);
        var subscribe = await subscription.ErrorAsync();

        Assert.Equal(StatusCode.Unauthenticated, publish.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, ping.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, subscribe.StatusCode);
    }

    [Fact]
    public async Task AllRpcs_KeyRequiredAndGiven_Accepted()
    {
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions { RequiredApiKey = "s3cret" });
        var headers = new Metadata { { "authorization", "s3cret" } };

        using var subscription = await harness.SubscribeLiveAsync("t", headers: headers);
        await harness.Ping.PingAsync(new _PingRequest(), headers).ResponseAsync.DefaultTimeout();
        await harness.PublishTextAsync("t", "x", headers);

        Assert.Equal("x", (await subscription.NextItemAsync()).Value.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("anything")]
    public async Task AllRpcs_KeyNotRequired_AnyAuthorizationAccepted(string? key)
    {
        await using var harness = await Harness.StartAsync();
        var headers = new Metadata();
        if (key is not null)
        {
            headers.Add("authorization", key);
        }

        using var subscription = await harness.SubscribeLiveAsync("t", headers: headers);
        await harness.PublishTextAsync("t", "x", headers);

        Assert.Equal("x", (await subscription.NextItemAsync()).Value.Text);
    }
}
