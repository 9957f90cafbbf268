using Functions.Common.Observability;
using Publisher.Contracts;

namespace Publisher.Function.Internal;

/// <summary>What one invocation did, logged as a single JSON line that also carries its metrics (EMF).</summary>
internal sealed class InvocationRecord
{
    // Every metric is per function (so per stack): two stacks in one account and region never add up.
    private static readonly EmbeddedMetrics.MetricGroup Totals = new(
        [new(MetricNames.Published, "Count"), new(MetricNames.PublishFailures, "Count"), new(MetricNames.ColdStart, "Count")],
        [[MetricNames.FunctionNameDimension]]);

    // Declared only on lines of keyed requests, so unkeyed lines stay as they were.
    private static readonly EmbeddedMetrics.MetricGroup Idempotency = new(
        [new(MetricNames.IdempotentReplays, "Count"), new(MetricNames.IdempotencyConflicts, "Count")],
        [[MetricNames.FunctionNameDimension]]);

    // Declared only on lines that carry a latency value.
    private static readonly EmbeddedMetrics.MetricGroup Latency = new([new(MetricNames.PublishLatency, "Milliseconds")], [[MetricNames.FunctionNameDimension]]);

    private static readonly EmbeddedMetrics.MetricGroup FailuresByCode = new(
        [new(MetricNames.PublishFailures, "Count")], [[MetricNames.FunctionNameDimension, MetricNames.ErrorCodeDimension]]);

    /// <summary>The function's name, the metrics' <c>FunctionName</c> dimension.</summary>
    public string FunctionName { get; set; } = "unknown";

    /// <summary>Failed messages per error code, in the order the codes first occur.</summary>
    public IReadOnlyList<(string Code, int Count)> FailuresPerCode { get; private set; } = [];

    public string? LambdaRequestId { get; set; }

    public string? ApiRequestId { get; set; }

    public string? TraceId { get; set; }

    public string Route { get; set; } = "unknown";

    public string? Topic { get; set; }

    public int Messages { get; set; }

    public int Published { get; set; }

    public int Failures { get; set; }

    public long Bytes { get; set; }

    public int Status { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public double? PublishMs { get; set; }

    public bool ColdStart { get; set; }

    public bool Rotated { get; set; }

    /// <summary>True when the request carried an idempotency key (a header, or a batch message's member).</summary>
    public bool Keyed { get; set; }

    /// <summary>Requests or batch messages answered from an idempotency record.</summary>
    public int IdempotentReplays { get; set; }

    /// <summary>Requests or batch messages refused with 409 or 422 for their key.</summary>
    public int IdempotencyConflicts { get; set; }

    /// <summary>Why an answer was not kept (or a key not freed) in the cache after publishing, if so.</summary>
    public string? IdempotencyStoreError { get; set; }

    /// <summary>Takes in what the publish step did: the topic (single-message routes), counts, bytes published, first failure.</summary>
    public void AddPublishes(RouteMatch route, PublishMessage[] messages, PublishOutcome[] outcomes, TimeSpan publishTime)
    {
        Topic = route.Route == PublisherRoute.Batch ? null : messages[0].TopicName;
        Messages = messages.Length;
        PublishMs = publishTime.TotalMilliseconds;
        Rotated = outcomes.Any(o => o.Rotated);
        Published = outcomes.Count(o => o.Problem is null);
        Failures = outcomes.Length - Published;
        Bytes = messages.Where((_, i) => outcomes[i].Problem is null).Sum(m => (long)m.ByteCount);
        if (outcomes.FirstOrDefault(o => o.Problem is not null) is { } failure)
        {
            ErrorCode = failure.ErrorCode;
            ErrorMessage = failure.Error?.Message;
        }

        FailuresPerCode = [.. outcomes.Where(o => o.Problem is not null).CountBy(o => o.ErrorCode!).Select(pair => (pair.Key, pair.Value))];
    }

    /// <summary>Writes the line; <paramref name="timestamp"/> stamps its metrics.</summary>
    public void Write(FunctionLog log, TimeSpan duration, DateTimeOffset timestamp)
    {
        var level = Status >= 500 ? "ERROR" : Status >= 400 ? "WARN" : "INFO";
        log.Write(level, "invocation", w =>
        {
            w.WriteString("requestId", LambdaRequestId);
            w.WriteString("apiRequestId", ApiRequestId);
            if (!string.IsNullOrEmpty(TraceId))
            {
                w.WriteString("traceId", TraceId);
            }

            w.WriteString("route", Route);
            if (Topic is not null)
            {
                w.WriteString("topic", Topic);
            }

            w.WriteNumber("messages", Messages);
            w.WriteNumber("bytes", Bytes);
            w.WriteNumber("status", Status);
            if (ErrorCode is not null)
            {
                w.WriteString("errorCode", ErrorCode);
            }

            if (ErrorMessage is not null)
            {
                w.WriteString("error", ErrorMessage);
            }

            w.WriteNumber("durationMs", Math.Round(duration.TotalMilliseconds, 3));
            if (PublishMs is { } publishMs)
            {
                w.WriteNumber("publishMs", Math.Round(publishMs, 3));
            }

            w.WriteBoolean("coldStart", ColdStart);

            // The managed heap as the last collection left it, and what the GC holds from the OS: Lambda's REPORT line
            // gives only the process's peak, not whether the heap creeps over invocations.
            var heap = GC.GetGCMemoryInfo();
            w.WriteNumber("gcHeapBytes", heap.HeapSizeBytes);
            w.WriteNumber("gcCommittedBytes", heap.TotalCommittedBytes);
            if (Rotated)
            {
                w.WriteBoolean("keyRotated", true);
            }

            if (IdempotencyStoreError is not null)
            {
                w.WriteString("idempotencyStoreError", IdempotencyStoreError);
            }

            // EMF: the same line becomes CloudWatch metrics.
            var groups = new List<EmbeddedMetrics.MetricGroup>(4) { Totals };
            if (Keyed)
            {
                groups.Add(Idempotency);
            }

            if (PublishMs is not null)
            {
                groups.Add(Latency);
            }

            // One code: counted per code on this line. Several (a batch): each has a line of its own below.
            var oneCode = FailuresPerCode.Count == 1;
            if (oneCode)
            {
                groups.Add(FailuresByCode);
            }

            EmbeddedMetrics.WriteDirective(w, timestamp, groups);
            w.WriteString(MetricNames.FunctionNameDimension, FunctionName);
            w.WriteNumber(MetricNames.Published, Published);
            w.WriteNumber(MetricNames.PublishFailures, Failures);
            w.WriteNumber(MetricNames.ColdStart, ColdStart ? 1 : 0);
            if (PublishMs is { } latency)
            {
                w.WriteNumber(MetricNames.PublishLatency, Math.Round(latency, 3));
            }

            if (Keyed)
            {
                w.WriteNumber(MetricNames.IdempotentReplays, IdempotentReplays);
                w.WriteNumber(MetricNames.IdempotencyConflicts, IdempotencyConflicts);
            }

            if (oneCode)
            {
                w.WriteString(MetricNames.ErrorCodeDimension, FailuresPerCode[0].Code);
            }
        });

        if (FailuresPerCode.Count > 1)
        {
            foreach (var (code, count) in FailuresPerCode)
            {
                log.Write(level, "publish failures", w =>
                {
                    w.WriteString("requestId", LambdaRequestId);
                    EmbeddedMetrics.WriteDirective(w, timestamp, [FailuresByCode]);
                    w.WriteString(MetricNames.FunctionNameDimension, FunctionName);
                    w.WriteString(MetricNames.ErrorCodeDimension, code);
                    w.WriteNumber(MetricNames.PublishFailures, count);
                });
            }
        }
    }
}
