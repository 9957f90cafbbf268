using Grpc.Core;
using Momento.Protos.CacheClient;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// The Momento cache calls (Get, Set, SetIf, the older SetIfNotExists, Delete) of service <c>cache_client.Scs</c>, on a
/// declared cache named in the <c>cache</c> header, answered as the hosted service answers them.
/// </summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindScs))]
internal sealed class CacheService : Scs.ScsBase
{
    private const string CacheHeader = "cache";

    private readonly TopicHub _hub;

    public CacheService(TopicHub hub) => _hub = hub;

    public override Task<_GetResponse> Get(_GetRequest request, ServerCallContext context)
    {
        var items = Resolve(context, request.CacheKey);
        return Task.FromResult(items.Get(request.CacheKey) is { } value
            ? new _GetResponse { Result = ECacheResult.Hit, CacheBody = value }
            : new _GetResponse { Result = ECacheResult.Miss });
    }

    public override Task<_SetResponse> Set(_SetRequest request, ServerCallContext context)
    {
        var items = Resolve(context, request.CacheKey);
        items.Set(request.CacheKey, request.CacheBody, Ttl(request.TtlMilliseconds));
        return Task.FromResult(new _SetResponse { Result = ECacheResult.Ok });
    }

    public override Task<_SetIfResponse> SetIf(_SetIfRequest request, ServerCallContext context)
    {
        var items = Resolve(context, request.CacheKey);
        var ttl = Ttl(request.TtlMilliseconds);
        // Only the condition idempotency needs is implemented; the others are refused, not silently treated as absent.
        if (request.ConditionCase != _SetIfRequest.ConditionOneofCase.Absent)
        {
            throw request.ConditionCase == _SetIfRequest.ConditionOneofCase.None
                ? RpcErrors.InvalidArgument("condition must be set")
                : new RpcException(new Status(StatusCode.Unimplemented, $"The local server implements SetIf with the absent condition only, not {request.ConditionCase}"));
        }

        return Task.FromResult(items.SetIfAbsent(request.CacheKey, request.CacheBody, ttl)
            ? new _SetIfResponse { Stored = new _SetIfResponse.Types._Stored() }
            : new _SetIfResponse { NotStored = new _SetIfResponse.Types._NotStored() });
    }

    public override Task<_SetIfNotExistsResponse> SetIfNotExists(_SetIfNotExistsRequest request, ServerCallContext context)
    {
        var items = Resolve(context, request.CacheKey);
        return Task.FromResult(items.SetIfAbsent(request.CacheKey, request.CacheBody, Ttl(request.TtlMilliseconds))
            ? new _SetIfNotExistsResponse { Stored = new _SetIfNotExistsResponse.Types._Stored() }
            : new _SetIfNotExistsResponse { NotStored = new _SetIfNotExistsResponse.Types._NotStored() });
    }

    public override Task<_DeleteResponse> Delete(_DeleteRequest request, ServerCallContext context)
    {
        Resolve(context, request.CacheKey).Delete(request.CacheKey);
        return Task.FromResult(new _DeleteResponse());
    }

    private static ulong Ttl(ulong milliseconds) =>
        milliseconds > 0 ? milliseconds : throw RpcErrors.InvalidArgument("ttl_milliseconds must be positive");

    private CacheItems Resolve(ServerCallContext context, Google.Protobuf.ByteString key)
    {
        var name = context.RequestHeaders.GetValue(CacheHeader);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw RpcErrors.InvalidArgument("Missing cache name in the 'cache' header");
        }

        if (key.IsEmpty)
        {
            throw RpcErrors.InvalidArgument("cache_key must not be empty");
        }

        return _hub.TryGetCache(name, out var cache) ? cache.Items : throw RpcErrors.CacheNotFound();
    }
}
