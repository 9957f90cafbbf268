using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AwsApigatewayv2Authorizers;
using Amazon.CDK.AwsApigatewayv2Integrations;
using Constructs;
using Publisher.Contracts;
using HttpMethod = Amazon.CDK.AWS.Apigatewayv2.HttpMethod;

namespace Publisher.Cdk.Constructs;

/// <summary>
/// The HTTP API front door: the REST API's routes as Lambda proxy routes (payload 2.0) on the <c>$default</c> stage,
/// each authorized by IAM or a JWT; every other route reaches the publisher through an equally authorized
/// <c>$default</c> route, so it answers 404 and 405 as problems. The stage is throttled and writes access logs. The
/// HTTP API has no mock integrations, so the publisher serves the documentation routes, the only public ones.
/// </summary>
public sealed class TopicsHttpApi : Construct, IFrontDoor
{
    /// <summary>The stage: <c>$default</c>, so routes sit at the API's root and the URL has no stage segment.</summary>
    public const string StageName = "$default";

    /// <summary>
    /// One JSON line per request in the access log: who, which route, what status, how long, and why the gateway
    /// refused it when it did (never a header value, a body or a token).
    /// </summary>
    public const string AccessLogFormat =
        "{\"requestId\":\"$context.requestId\",\"requestTime\":\"$context.requestTime\",\"ip\":\"$context.identity.sourceIp\"," +
        "\"caller\":\"$context.identity.caller\",\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\"," +
        "\"protocol\":\"$context.protocol\",\"responseLength\":\"$context.responseLength\",\"latencyMs\":\"$context.responseLatency\"," +
        "\"integrationLatencyMs\":\"$context.integrationLatency\",\"integrationError\":\"$context.integrationErrorMessage\"," +
        "\"authorizerError\":\"$context.authorizer.error\"}";

    private readonly HttpApiAuth _auth;

    /// <summary>The API.</summary>
    public HttpApi Api { get; }

    /// <summary>The throttled stage with access logs.</summary>
    public HttpStage Stage { get; }

    /// <summary>The access log group (retention from the settings, removed with the stack).</summary>
    public LogGroup AccessLogs { get; }

    /// <summary>Creates the API, its routes, the authorizer, the stage and its access log.</summary>
    /// <param name="scope">The parent construct (the stack).</param>
    /// <param name="id">Construct id, unique within <paramref name="scope"/>.</param>
    /// <param name="props">What to build; required.</param>
    public TopicsHttpApi(Construct scope, string id, TopicsHttpApiProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        _auth = props.Auth;
        if (!MomentoFunction.RetentionByDays.TryGetValue(props.LogRetentionDays, out var retention))
        {
            throw new ArgumentException($"Log retention of {props.LogRetentionDays} days is not one CloudWatch Logs accepts.", nameof(props));
        }

        IHttpRouteAuthorizer authorizer = props.Auth == HttpApiAuth.Jwt
            ? new HttpJwtAuthorizer("JwtAuthorizer", props.JwtIssuer ?? throw new ArgumentException("A JWT authorizer needs its issuer.", nameof(props)),
                new HttpJwtAuthorizerProps { JwtAudience = [.. props.JwtAudience] })
            : new HttpIamAuthorizer();
        var publisher = new HttpLambdaIntegration("Publisher", props.Publisher, new HttpLambdaIntegrationProps { PayloadFormatVersion = PayloadFormatVersion.VERSION_2_0 });
        var subscriber = new HttpLambdaIntegration("Subscriber", props.Subscriber, new HttpLambdaIntegrationProps { PayloadFormatVersion = PayloadFormatVersion.VERSION_2_0 });

        Api = new HttpApi(this, "Api", new HttpApiProps
        {
            ApiName = $"{Stack.Of(this).StackName}-http-api",
            Description = "Publishes to Momento Topics (POST /topics, /topics/{topicName}, /batch) and verifies delivery (/verify).",
            CreateDefaultStage = false,
            DefaultAuthorizer = authorizer,
            // The $default route: a path or method the API does not declare reaches the publisher (authorized like every
            // function route), which answers a 404 or 405 problem instead of the gateway's bare {"message":"Not Found"}.
            DefaultIntegration = publisher,
        });

        AccessLogs = new LogGroup(this, "AccessLogs", new LogGroupProps { Retention = retention, RemovalPolicy = RemovalPolicy.DESTROY });
        Stage = new HttpStage(this, "Stage", new HttpStageProps
        {
            HttpApi = Api,
            StageName = StageName,
            AutoDeploy = true,
            Throttle = new ThrottleSettings { RateLimit = props.ThrottleRateLimit, BurstLimit = props.ThrottleBurstLimit },
        });
        // The L2 stage of this CDK version has no access log property; the CloudFormation one does. HTTP APIs write
        // access logs without the account-wide CloudWatch role REST APIs need.
        ((CfnStage)Stage.Node.DefaultChild!).AccessLogSettings = new CfnStage.AccessLogSettingsProperty
        {
            DestinationArn = AccessLogs.LogGroupArn,
            Format = AccessLogFormat,
        };

        // The documentation is public, as on the REST API (it is in the repository too); the stage throttle bounds it.
        var open = new HttpNoneAuthorizer();
        foreach (var route in HttpRoutes.All)
        {
            Api.AddRoutes(new AddRoutesOptions
            {
                Path = route.Template,
                Methods = [route.Method == "GET" ? HttpMethod.GET : HttpMethod.POST],
                Integration = route.Target == RouteTarget.Subscriber ? subscriber : publisher,
                Authorizer = route.Public ? open : null,
            });
        }

        // From the API's id, not the stage: the functions' environment holds this, and the routes depend on the functions.
        BaseUrl = Api.ApiEndpoint + "/";
        ProblemTypeBaseUri = props.ProblemTypeBaseUri ?? BaseUrl + HttpContract.ProblemsPath.TrimStart('/') + "/";
    }

    /// <summary>The API's base URL (ends with a slash; the <c>$default</c> stage has no path segment).</summary>
    public string BaseUrl { get; }

    /// <summary>What every problem <c>type</c> URI starts with: the publisher serves those pages at <c>GET /problems/{slug}</c>.</summary>
    public string ProblemTypeBaseUri { get; }

    /// <inheritdoc />
    public FrontDoor Kind => FrontDoor.HttpApi;

    /// <inheritdoc />
    public string PublisherProblemTypeBaseUri => ProblemTypeBaseUri;

    /// <inheritdoc />
    public string SubscriberProblemTypeBaseUri => ProblemTypeBaseUri;

    /// <inheritdoc />
    public IReadOnlyList<DoorOutput> Outputs =>
    [
        new("ApiUrl", BaseUrl, "Base URL of the HTTP API ($default stage)."),
        new("PublishUrl", BaseUrl + "topics", "POST {\"topicName\", \"topicValue\"} here to publish."),
        new("VerifyUrl", BaseUrl + "verify", "The subscriber's verification route (GET or POST)."),
        new("OpenApiUrl", BaseUrl + HttpContract.OpenApiPath.TrimStart('/'), "The API's OpenAPI 3.1 document (no credentials needed): generate clients and validate requests from it."),
        new("ProblemsUrl", BaseUrl + HttpContract.ProblemsPath.TrimStart('/'), "Documentation of every problem type; each error's type URI is one of its pages (no credentials needed)."),
        new("VerifyCommand", $"dotnet run --project src/Publisher.DeploymentCheck -- verify --url {BaseUrl} {VerifyAuthArguments}",
            "Checks the deployment end to end from a clone of the repository."),
    ];

    /// <inheritdoc />
    public IMetric Requests(MetricOptions options) => Stage.MetricCount(options);

    /// <inheritdoc />
    public IMetric ClientErrors(MetricOptions options) => Stage.MetricClientError(options);

    /// <inheritdoc />
    public IMetric ServerErrors(MetricOptions options) => Stage.MetricServerError(options);

    /// <inheritdoc />
    public IMetric Latency(MetricOptions options) => Stage.MetricLatency(options);

    /// <inheritdoc />
    public IMetric? IntegrationLatency(MetricOptions options) => Stage.MetricIntegrationLatency(options);

    // How the checker authenticates: SigV4 for execute-api, or the caller's JWT.
    private string VerifyAuthArguments => _auth == HttpApiAuth.Jwt ? "--bearer \"$TOKEN\"" : "--iam";
}
