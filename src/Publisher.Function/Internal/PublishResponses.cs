using Functions.Common.Http;
using Publisher.Contracts;

namespace Publisher.Function.Internal;

/// <summary>The respond step: what the caller is told about the messages the publish step tried.</summary>
internal static class PublishResponses
{
    // settled: per message, a result decided without publishing (an idempotency replay or conflict), else null; null for none.
    public static ApiResponse For(RouteMatch route, PublishMessage[] messages, PublishOutcome[] outcomes, ProblemTypeBase types, string requestId, BatchResult?[]? settled = null)
    {
        if (route.Route != PublisherRoute.Batch)
        {
            var message = messages[0];
            return outcomes[0].Problem?.ToResponse(types, requestId)
                ?? ApiResponse.Json(200, new PublishResponse(true, message.TopicName, message.ByteCount), PublisherJsonContext.Default.PublishResponse);
        }

        var results = new BatchResult[messages.Length];
        var failed = 0;
        for (var i = 0; i < messages.Length; i++)
        {
            if (settled?[i] is { } result)
            {
                failed += result.Status == 200 ? 0 : 1;
                results[i] = result;
                continue;
            }

            var problem = outcomes[i].Problem;
            failed += problem is null ? 0 : 1;
            results[i] = problem is null
                ? new BatchResult(i, messages[i].TopicName, 200, messages[i].ByteCount, null)
                : new BatchResult(i, messages[i].TopicName, problem.Status, null, problem.ToDetails(types, null));
        }

        // 200 when every message was published; 207 when some were not (each result says which and why).
        var batch = new BatchResponse(messages.Length - failed, failed, results);
        return ApiResponse.Json(failed == 0 ? 200 : 207, batch, PublisherJsonContext.Default.BatchResponse);
    }
}
