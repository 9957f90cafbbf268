using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using Publisher.Contracts;
using LambdaFunction = Amazon.CDK.AWS.Lambda.Function;

namespace Publisher.Cdk.Constructs;

/// <summary>
/// The function URL front door: a URL on the publisher and one on the subscriber, both <c>AWS_IAM</c> (callers sign
/// with SigV4 for the service <c>lambda</c> and need <c>lambda:InvokeFunctionUrl</c> and <c>lambda:InvokeFunction</c>;
/// nothing is public). There is no gateway in front: no rate throttle, so the publisher's reserved concurrency bounds
/// it; no request validation or reshaped errors, so the function answers everything; no per-request charge.
/// </summary>
public sealed class TopicsFunctionUrls : Construct, IFrontDoor
{
    private readonly LambdaFunction _publisher;
    private readonly LambdaFunction _subscriber;
    private readonly string? _problemTypeBaseUri;

    /// <summary>The publisher's URL: <c>POST /topics</c>, <c>/topics/{topicName}</c>, <c>/batch</c> and the documentation.</summary>
    public FunctionUrl PublisherUrl { get; }

    /// <summary>The subscriber's URL: <c>GET</c> and <c>POST /verify</c>.</summary>
    public FunctionUrl SubscriberUrl { get; }

    /// <summary>Creates both URLs and reserves the publisher's concurrency.</summary>
    /// <param name="scope">The parent construct (the stack).</param>
    /// <param name="id">Construct id, unique within <paramref name="scope"/>.</param>
    /// <param name="props">What to build; required.</param>
    public TopicsFunctionUrls(Construct scope, string id, TopicsFunctionUrlsProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (props.ReservedConcurrency < 1)
        {
            throw new ArgumentException("Reserved concurrency 0 would stop the publisher.", nameof(props));
        }

        _publisher = props.Publisher;
        _subscriber = props.Subscriber;
        _problemTypeBaseUri = props.ProblemTypeBaseUri;

        // Never NONE: a function URL without IAM is open to the internet, with no throttle but the concurrency below.
        PublisherUrl = new FunctionUrl(this, "PublisherUrl", new FunctionUrlProps { Function = props.Publisher, AuthType = FunctionUrlAuthType.AWS_IAM });
        SubscriberUrl = new FunctionUrl(this, "SubscriberUrl", new FunctionUrlProps { Function = props.Subscriber, AuthType = FunctionUrlAuthType.AWS_IAM });

        // The L2 function takes reserved concurrency only at construction; the function is built before its door is chosen.
        ((CfnFunction)props.Publisher.Node.DefaultChild!).ReservedConcurrentExecutions = props.ReservedConcurrency;
    }

    /// <inheritdoc />
    public FrontDoor Kind => FrontDoor.FunctionUrl;

    /// <summary>
    /// Relative (RFC 9457 allows a URI reference): a function cannot be given its own URL, which exists only after the
    /// function does, so the publisher's problem types resolve against the URL the caller used, where it serves the pages.
    /// </summary>
    public string PublisherProblemTypeBaseUri => _problemTypeBaseUri ?? HttpContract.ProblemsPath + "/";

    /// <summary>The pages on the publisher's URL (the subscriber's own URL does not serve them).</summary>
    public string SubscriberProblemTypeBaseUri => _problemTypeBaseUri ?? PublisherUrl.Url + HttpContract.ProblemsPath.TrimStart('/') + "/";

    /// <inheritdoc />
    public IReadOnlyList<DoorOutput> Outputs =>
    [
        new("ApiUrl", PublisherUrl.Url, "The publisher's function URL (AWS_IAM: sign with SigV4 for the service lambda)."),
        new("PublishUrl", PublisherUrl.Url + "topics", "POST {\"topicName\", \"topicValue\"} here to publish (SigV4, service lambda)."),
        new("SubscriberUrl", SubscriberUrl.Url, "The subscriber's function URL (AWS_IAM), verify's --verify-url."),
        new("VerifyUrl", SubscriberUrl.Url + "verify", "The subscriber's verification route (GET or POST; SigV4, service lambda)."),
        new("OpenApiUrl", PublisherUrl.Url + HttpContract.OpenApiPath.TrimStart('/'), "The API's OpenAPI 3.1 document, served by the publisher (signed like every request)."),
        new("ProblemsUrl", PublisherUrl.Url + HttpContract.ProblemsPath.TrimStart('/'), "Documentation of every problem type, served by the publisher (signed like every request)."),
        new("VerifyCommand", $"dotnet run --project src/Publisher.DeploymentCheck -- verify --url {PublisherUrl.Url} --verify-url {SubscriberUrl.Url} --iam",
            "Checks the deployment end to end from a clone of the repository."),
    ];

    /// <summary>Requests to both URLs.</summary>
    public IMetric Requests(MetricOptions options) => Both("UrlRequestCount", options);

    /// <summary>4xx answers of both URLs.</summary>
    public IMetric ClientErrors(MetricOptions options) => Both("Url4xxCount", options);

    /// <summary>5xx answers of both URLs.</summary>
    public IMetric ServerErrors(MetricOptions options) => Both("Url5xxCount", options);

    /// <summary>The publisher URL's latency (the subscriber's is a listening session's length, not a latency).</summary>
    public IMetric Latency(MetricOptions options) => _publisher.Metric("UrlRequestLatency", options);

    /// <summary>Null: nothing sits between the caller and the function.</summary>
    public IMetric? IntegrationLatency(MetricOptions options) => null;

    // Lambda publishes the URL metrics per function (dimension FunctionName); a sparse series has no zeros, so each is filled.
    private MathExpression Both(string metricName, MetricOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var each = new MetricOptions { Statistic = options.Statistic, Period = options.Period };
        // Ids are per graph: one per metric name, so the three sums of a graph do not clash.
        var id = char.ToLowerInvariant(metricName[0]) + metricName[1..];
        return new MathExpression(new MathExpressionProps
        {
            Expression = $"FILL({id}Publisher, 0) + FILL({id}Subscriber, 0)",
            UsingMetrics = new Dictionary<string, IMetric>
            {
                [id + "Publisher"] = _publisher.Metric(metricName, each),
                [id + "Subscriber"] = _subscriber.Metric(metricName, each),
            },
            Label = options.Label,
            Period = options.Period,
        });
    }
}
