using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Momento.Protos.CacheClient;
using Momento.Protos.Common;
using Momento.Topics.LocalServer.Tests.Infrastructure;

namespace Momento.Topics.LocalServer.Tests;

/// <summary>
/// The cache calls (service <c>cache_client.Scs</c>) over real HTTP/2: hit and miss, set-if-absent's atomicity, TTLs on
/// the server's clock, Momento's errors, bounded memory, and the official JS SDK's cache calls unchanged.
/// </summary>
public sealed class CacheCallsTests
{
    private static readonly Metadata InCache = new() { { "cache", Harness.Cache } };

    [Fact]
    public async Task SetThenGet_Hit_UnknownKeyMiss_DeleteMakesMiss()
    {
        await using var harness = await Harness.StartAsync();
        var client = new Scs.ScsClient(harness.Channel);

        var set = await client.SetAsync(new _SetRequest { CacheKey = Bytes("k"), CacheBody = Bytes("v1"), TtlMilliseconds = 60_000 }, InCache);
        Assert.Equal(ECacheResult.Ok, set.Result);
        var hit = await client.GetAsync(new _GetRequest { CacheKey = Bytes("k") }, InCache);
        Assert.Equal(ECacheResult.Hit, hit.Result);
        Assert.Equal("v1", hit.CacheBody.ToStringUtf8());
        Assert.Equal(ECacheResult.Miss, (await client.GetAsync(new _GetRequest { CacheKey = Bytes("other") }, InCache)).Result);

        await client.DeleteAsync(new _DeleteRequest { CacheKey = Bytes("k") }, InCache);
        await client.DeleteAsync(new _DeleteRequest { CacheKey = Bytes("never-set") }, InCache);
        Assert.Equal(ECacheResult.Miss, (await client.GetAsync(new _GetRequest { CacheKey = Bytes("k") }, InCache)).Result);
    }

    [Fact]
    public async Task SetIfAbsent_StoresOnlyWhenAbsent_BothRpcs()
    {
        await using var harness = await Harness.StartAsync();
        var client = new Scs.ScsClient(harness.Channel);

        var first = await client.SetIfAsync(new _SetIfRequest { CacheKey = Bytes("k"), CacheBody = Bytes("first"), TtlMilliseconds = 60_000, Absent = new Absent() }, InCache);
        var second = await client.SetIfAsync(new _SetIfRequest { CacheKey = Bytes("k"), CacheBody = Bytes("second"), TtlMilliseconds = 60_000, Absent = new Absent() }, InCache);
        var older = await client.SetIfNotExistsAsync(new _SetIfNotExistsRequest { CacheKey = Bytes("k"), CacheBody = Bytes("third"), TtlMilliseconds = 60_000 }, InCache);
        var olderNew = await client.SetIfNotExistsAsync(new _SetIfNotExistsRequest { CacheKey = Bytes("k2"), CacheBody = Bytes("fresh"), TtlMilliseconds = 60_000 }, InCache);

        Assert.Equal(_SetIfResponse.ResultOneofCase.Stored, first.ResultCase);
        Assert.Equal(_SetIfResponse.ResultOneofCase.NotStored, second.ResultCase);
        Assert.Equal(_SetIfNotExistsResponse.ResultOneofCase.NotStored, older.ResultCase);
        Assert.Equal(_SetIfNotExistsResponse.ResultOneofCase.Stored, olderNew.ResultCase);
        Assert.Equal("first", (await client.GetAsync(new _GetRequest { CacheKey = Bytes("k") }, InCache)).CacheBody.ToStringUtf8());
    }

    [Fact]
    public async Task SetIfAbsent_ManyConcurrentOnOneKey_ExactlyOneStored()
    {
        await using var harness = await Harness.StartAsync();
        var clients = Enumerable.Range(0, 4).Select(_ => new Scs.ScsClient(harness.NewChannel())).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => clients[i % clients.Length].SetIfAsync(
            new _SetIfRequest { CacheKey = Bytes("contended"), CacheBody = Bytes("writer-" + i), TtlMilliseconds = 60_000, Absent = new Absent() }, InCache).ResponseAsync));

        Assert.Single(results, r => r.ResultCase == _SetIfResponse.ResultOneofCase.Stored);
        Assert.Equal(63, results.Count(r => r.ResultCase == _SetIfResponse.ResultOneofCase.NotStored));
    }

    [Fact]
    public async Task Ttl_OnTheServersClock_ExpiredIsMissAndAbsent()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions { HeartbeatInterval = Harness.FastHeartbeat, TimeProvider = time });
        var client = new Scs.ScsClient(harness.Channel);
        await client.SetAsync(new _SetRequest { CacheKey = Bytes("k"), CacheBody = Bytes("v"), TtlMilliseconds = 1000 }, InCache);

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(ECacheResult.Hit, (await client.GetAsync(new _GetRequest { CacheKey = Bytes("k") }, InCache)).Result);
        var whileLive = await client.SetIfAsync(new _SetIfRequest { CacheKey = Bytes("k"), CacheBody = Bytes("w"), TtlMilliseconds = 1000, Absent = new Absent() }, InCache);
        Assert.Equal(_SetIfResponse.ResultOneofCase.NotStored, whileLive.ResultCase);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(ECacheResult.Miss, (await client.GetAsync(new _GetRequest { CacheKey = Bytes("k") }, InCache)).Result);
        var afterExpiry = await client.SetIfAsync(new _SetIfRequest { CacheKey = Bytes("k"), CacheBody = Bytes("w"), TtlMilliseconds = 1000, Absent = new Absent() }, InCache);
        Assert.Equal(_SetIfResponse.ResultOneofCase.Stored, afterExpiry.ResultCase);
    }

    [Fact]
    public async Task Errors_AsMomentoAnswers()
    {
        await using var harness = await Harness.StartAsync();
        var client = new Scs.ScsClient(harness.Channel);

        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(new _GetRequest { CacheKey = Bytes("k") }, new Metadata { { "cache", "no-such-cache" } }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Null(unknown.Trailers.GetValue("err"));

        var noHeader = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(new _GetRequest { CacheKey = Bytes("k") }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, noHeader.StatusCode);

        var zeroTtl = await Assert.ThrowsAsync<RpcException>(() => client.SetAsync(new _SetRequest { CacheKey = Bytes("k"), CacheBody = Bytes("v") }, InCache).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, zeroTtl.StatusCode);

        var emptyKey = await Assert.ThrowsAsync<RpcException>(() => client.SetAsync(new _SetRequest { CacheBody = Bytes("v"), TtlMilliseconds = 1000 }, InCache).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, emptyKey.StatusCode);

        var noCondition = await Assert.ThrowsAsync<RpcException>(() => client.SetIfAsync(new _SetIfRequest { CacheKey = Bytes("k"), CacheBody = Bytes("v"), TtlMilliseconds = 1000 }, InCache).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, noCondition.StatusCode);

        var otherCondition = await Assert.ThrowsAsync<RpcException>(() => client.SetIfAsync(new _SetIfRequest { CacheKey = Bytes("k"), CacheBody = Bytes("v"), TtlMilliseconds = 1000, Equal = new Equal { ValueToCheck = Bytes("v") } }, InCache).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, otherCondition.StatusCode);
        Assert.Equal(ECacheResult.Miss, (await client.GetAsync(new _GetRequest { CacheKey = Bytes("k") }, InCache)).Result);
    }

    [Fact]
    public async Task Items_BeyondTheBudget_SoonestToExpireEvictedFirst()
    {
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions { HeartbeatInterval = Harness.FastHeartbeat, MaxItemBytesPerCache = 64 * 1024 });
        var client = new Scs.ScsClient(harness.Channel);
        var value = ByteString.CopyFrom(new byte[2000]);

        // 100 items of 2000 bytes (three times the budget); item i lives 60 s + i ms, so item 0 expires soonest.
        for (var i = 0; i < 100; i++)
        {
            await client.SetAsync(new _SetRequest { CacheKey = Bytes("item-" + i), CacheBody = value, TtlMilliseconds = 60_000 + (ulong)i }, InCache);
        }

        Assert.Equal(ECacheResult.Miss, (await client.GetAsync(new _GetRequest { CacheKey = Bytes("item-0") }, InCache)).Result);
        Assert.Equal(ECacheResult.Hit, (await client.GetAsync(new _GetRequest { CacheKey = Bytes("item-99") }, InCache)).Result);
        var held = 0;
        for (var i = 0; i < 100; i++)
        {
            held += (await client.GetAsync(new _GetRequest { CacheKey = Bytes("item-" + i) }, InCache)).Result == ECacheResult.Hit ? 1 : 0;
        }

        Assert.InRange(held, 1, 64 * 1024 / 2000);
    }

    [Fact]
    public async Task OfficialJsSdk_CacheCalls_WorkUnchanged()
    {
        await using var harness = await Harness.StartAsync();
        var outcome = await NodeScript.RunAsync(Path.Combine("tests", "Momento.Topics.LocalServer.Tests", "js", "cache-calls.mjs"), "127.0.0.1", harness.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Harness.Cache);

        Assert.Equal("v1", outcome.GetProperty("get").GetString());
        Assert.Equal("miss", outcome.GetProperty("getUnknown").GetString());
        Assert.Equal("stored", outcome.GetProperty("setIfAbsentFirst").GetString());
        Assert.Equal("notStored", outcome.GetProperty("setIfAbsentSecond").GetString());
        Assert.Equal("notStored", outcome.GetProperty("setIfNotExists").GetString());
        Assert.Equal("v1", outcome.GetProperty("afterSetIfAbsent").GetString());
        Assert.Equal("miss", outcome.GetProperty("afterDelete").GetString());
        Assert.Equal("NOT_FOUND_ERROR", outcome.GetProperty("unknownCache").GetString());
        // What the SDK wrote, read back over this repository's raw stub: the same bytes under the same key.
        var client = new Scs.ScsClient(harness.Channel);
        Assert.Equal("from-js", (await client.GetAsync(new _GetRequest { CacheKey = Bytes("js-kept") }, InCache)).CacheBody.ToStringUtf8());
    }

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}
