using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;

namespace Publisher.Cdk.Internal;

/// <summary>Chooses where a function's package comes from: a prebuilt folder, the placeholder, or a local <c>dotnet publish</c>.</summary>
internal static class FunctionCodeFactory
{
    /// <summary>Only used if local bundling declines, which ours never does: it succeeds or throws.</summary>
    public const string FallbackBundlingImage = "public.ecr.aws/sam/build-provided.al2023";

    /// <summary>The bundling build's bin/ and obj/, relative to the repo root (inside this project's obj/, which git ignores).</summary>
    public const string BundlingArtifactsPath = "cdk/Publisher.Cdk/obj/bundling";

    /// <summary>Folder (copied next to the app) with a stand-in <c>bootstrap</c> for synths that skip bundling.</summary>
    public static string PlaceholderDir => Path.Combine(AppContext.BaseDirectory, "placeholder");

    /// <param name="settings">The stack's settings.</param>
    /// <param name="projectRelativePath">The function project, relative to the repo root, e.g. <c>src/Publisher.Function/Publisher.Function.csproj</c>.</param>
    /// <param name="prebuiltDir">A folder holding a ready <c>bootstrap</c>, or null.</param>
    public static Code Create(PublisherStackSettings settings, string projectRelativePath, string? prebuiltDir)
    {
        if (prebuiltDir is not null)
        {
            var full = Path.GetFullPath(prebuiltDir);
            if (!File.Exists(Path.Combine(full, "bootstrap")))
            {
                throw new ArgumentException($"The prebuilt folder '{full}' has no 'bootstrap' executable; publish the function into it first.");
            }

            return Code.FromAsset(full);
        }

        if (settings.SkipBundling)
        {
            return Code.FromAsset(PlaceholderDir);
        }

        var root = settings.RepoRoot ?? throw new ArgumentException(
            $"Building the functions needs the repository root: run the app from it (cdk.json is there) or set context '{ContextKeys.RepoRoot}'.");
        var project = Path.GetFullPath(Path.Combine(root, projectRelativePath));
        if (!File.Exists(project))
        {
            throw new ArgumentException($"Function project '{project}' not found; is '{root}' the repository root?");
        }

        var bundler = new DotnetPublishBundling(
            project, RuntimeIdentifier(settings.Architecture), UseNativeAot(settings), Path.Combine(root, BundlingArtifactsPath));
        return Code.FromAsset(Path.GetDirectoryName(project)!, new Amazon.CDK.AWS.S3.Assets.AssetOptions
        {
            // The source folder holds bin/ and obj/, which change with every build; the
            // package itself is what identifies the asset.
            AssetHashType = AssetHashType.OUTPUT,
            Bundling = new BundlingOptions
            {
                Image = DockerImage.FromRegistry(FallbackBundlingImage),
                Local = bundler,
            },
        });
    }

    public static string RuntimeIdentifier(FunctionArchitecture architecture) =>
        architecture == FunctionArchitecture.Arm64 ? "linux-arm64" : "linux-x64";

    /// <summary>
    /// Native AOT links with the host's C toolchain and cannot cross-compile between OSes or
    /// architectures, so it is used only on a Linux host of the target architecture with gcc or clang.
    /// </summary>
    public static bool UseNativeAot(PublisherStackSettings settings)
    {
        if (settings.NativeAot is { } forced)
        {
            return forced;
        }

        var target = settings.Architecture == FunctionArchitecture.Arm64 ? System.Runtime.InteropServices.Architecture.Arm64 : System.Runtime.InteropServices.Architecture.X64;
        return OperatingSystem.IsLinux()
            && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == target
            && (OnPath("clang") || OnPath("gcc"));
    }

    private static bool OnPath(string tool)
    {
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
    }
}
