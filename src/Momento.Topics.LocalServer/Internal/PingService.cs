using Grpc.Core;
using Momento.Protos.CachePing;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>Answers the Ping SDKs use to open a connection eagerly.</summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindPing))]
internal sealed class PingService : Ping.PingBase
{
    public override Task<_PingResponse> Ping(_PingRequest request, ServerCallContext context) =>
        Task.FromResult(new _PingResponse());
}
