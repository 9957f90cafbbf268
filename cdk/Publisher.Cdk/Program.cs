using Amazon.CDK;
using Publisher.Cdk;

// Composition only: read the settings from context, find the repository (for bundling), add the stack.
var app = new App();
try
{
    var settings = PublisherStackSettings.FromContext(app.Node.TryGetContext);
    settings = settings with { RepoRoot = settings.RepoRoot ?? RepoLocator.Find(Directory.GetCurrentDirectory()) };

    // The CLI names the region it deploys to (CDK_DEFAULT_REGION): a region without a known extension layer stops here,
    // in one line, rather than the deployment later.
    if (System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION") is { Length: > 0 } region)
    {
        PublisherStack.CheckLayerRegion(settings, region);
    }

    // No Env: the stack is environment-agnostic, so one synthesized template deploys to whichever
    // account and region the CLI targets (region-specific values such as the extension layer's ARN
    // become a CloudFormation map lookup).
    _ = new PublisherStack(app, settings.StackName, settings, new StackProps
    {
        Description = "Momento Topics publisher: API Gateway + Native AOT Lambda functions publishing over gRPC.",
    });
}
catch (ArgumentException e)
{
    // A context value or a bundling input the user gave is wrong: their fix is in the message, not in a stack trace.
    await Console.Error.WriteLineAsync($"Publisher.Cdk: {e.Message}").ConfigureAwait(false);
    return 1;
}

app.Synth();
return 0;
