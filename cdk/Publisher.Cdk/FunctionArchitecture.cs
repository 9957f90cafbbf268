namespace Publisher.Cdk;

/// <summary>The instruction set both functions run on (and the runtime identifier they are published for).</summary>
public enum FunctionArchitecture
{
    /// <summary>x86_64, published with <c>-r linux-x64</c>.</summary>
    X64,

    /// <summary>Graviton, published with <c>-r linux-arm64</c>.</summary>
    Arm64,
}
