using Amazon.CDK;
using Publisher.Cdk;

// Composition only: read the settings from context, find the repository (for bundling), add the stack.
var app = new App();
var settings = PublisherStackSettings.FromContext(app.Node.TryGetContext);
settings = settings with { RepoRoot = settings.RepoRoot ?? RepoLocator.Find(Directory.GetCurrentDirectory()) };

// No Env: the stack is environment-agnostic, so one synthesized template deploys to whichever
// account and region the CLI targets (region-specific values such as the extension layer's ARN
// become a CloudFormation map lookup).
_ = new PublisherStack(app, settings.StackName, settings, new StackProps
{
    Description = "Momento Topics publisher: API Gateway + Native AOT Lambda functions publishing over gRPC.",
});

app.Synth();
