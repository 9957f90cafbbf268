using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace Publisher.Cdk.Tests;

/// <summary>One synthesized <see cref="PublisherStack"/> (or a template `cdk synth` wrote): the assertions template and its JSON.</summary>
public sealed class SynthesizedStack
{
    private readonly PublisherStack? stack;

    public SynthesizedStack(PublisherStackSettings settings)
    {
        var app = new App();
        stack = new PublisherStack(app, settings.StackName, settings);
        Template = Template.FromStack(stack);
        Text = Newtonsoft.Json.JsonConvert.SerializeObject(Template.ToJSON());
        Json = JsonDocument.Parse(Text).RootElement.Clone();
        AssemblyDirectory = app.Outdir;
        Name = settings.StackName;
    }

    /// <summary>A template written by `cdk synth`, with its cloud assembly folder beside it.</summary>
    public SynthesizedStack(string templateFile)
    {
        Text = File.ReadAllText(templateFile);
        Template = Template.FromString(Text);
        Json = JsonDocument.Parse(Text).RootElement.Clone();
        AssemblyDirectory = Path.GetDirectoryName(Path.GetFullPath(templateFile))!;
        Name = templateFile;
        IsFromCdkSynth = true;
    }

    public string Name { get; }

    /// <summary>True for the template of a real `cdk synth` (real bundling), false for the test's own synths (placeholder code).</summary>
    public bool IsFromCdkSynth { get; }

    /// <summary>The cloud assembly folder holding the template and the staged assets.</summary>
    public string AssemblyDirectory { get; }

    public PublisherStack Stack => stack ?? throw new InvalidOperationException("A template read from a file has no construct tree.");

    public Template Template { get; }

    /// <summary>The whole template as JSON text.</summary>
    public string Text { get; }

    public JsonElement Json { get; }

    /// <summary>Every resource of a CloudFormation type, as (logical id, Properties or an empty object).</summary>
    public IReadOnlyList<(string Id, JsonElement Properties)> Resources(string type) =>
        Json.GetProperty("Resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() == type)
            .Select(r => (r.Name, r.Value.TryGetProperty("Properties", out var p) ? p : JsonDocument.Parse("{}").RootElement))
            .ToArray();

    public JsonElement Resource(string logicalId) => Json.GetProperty("Resources").GetProperty(logicalId);

    /// <summary>Every API method as (route "VERB /path", logical id, Properties), the path rebuilt from the resources' PathPart chain.</summary>
    public IReadOnlyList<(string Route, string Id, JsonElement Properties)> Methods()
    {
        var resources = Resources("AWS::ApiGateway::Resource").ToDictionary(r => r.Id, r => r.Properties);
        string PathOf(JsonElement resourceId)
        {
            if (!resourceId.TryGetProperty("Ref", out var id))
            {
                return string.Empty; // The root resource (Fn::GetAtt RootResourceId).
            }

            var resource = resources[id.GetString()!];
            return PathOf(resource.GetProperty("ParentId")) + "/" + resource.GetProperty("PathPart").GetString();
        }

        return Resources("AWS::ApiGateway::Method")
            .Select(m => (m.Properties.GetProperty("HttpMethod").GetString() + " " + PathOf(m.Properties.GetProperty("ResourceId")), m.Id, m.Properties))
            .ToArray();
    }

    /// <summary>The Properties of the one method at <paramref name="route"/> ("VERB /path").</summary>
    public JsonElement Method(string route) => Methods().Single(m => m.Route == route).Properties;

    /// <summary>The JSON schema of the model the method at <paramref name="route"/> validates application/json bodies against.</summary>
    public JsonElement RequestSchema(string route)
    {
        var modelId = Method(route).GetProperty("RequestModels").GetProperty("application/json").GetProperty("Ref").GetString()!;
        var model = Resource(modelId).GetProperty("Properties");
        Assert.Equal("application/json", model.GetProperty("ContentType").GetString());
        var schema = model.GetProperty("Schema");
        // The template may carry the schema as an object or as a JSON string; parse it either way.
        return schema.ValueKind == JsonValueKind.String ? JsonDocument.Parse(schema.GetString()!).RootElement : schema;
    }

    /// <summary>The logical id of a construct's CloudFormation resource, overrides included (Stack.GetLogicalId ignores them).</summary>
    public string LogicalId(CfnElement element) => (string)Stack.Resolve(element.LogicalId);

    /// <summary>The Properties of the CloudFormation resource behind a construct (such as a function).</summary>
    public JsonElement PropertiesOf(global::Constructs.IConstruct construct) =>
        Resource(LogicalId((CfnElement)construct.Node.DefaultChild!)).GetProperty("Properties");

    /// <summary>The single resource of a type with its Properties.</summary>
    public JsonElement Single(string type) => Assert.Single(Resources(type)).Properties;

    public IReadOnlyList<string> ResourceTypes() =>
        Json.GetProperty("Resources").EnumerateObject().Select(r => r.Value.GetProperty("Type").GetString()!).ToArray();

    public JsonElement Outputs => Json.GetProperty("Outputs");

    public override string ToString() => Name;
}
