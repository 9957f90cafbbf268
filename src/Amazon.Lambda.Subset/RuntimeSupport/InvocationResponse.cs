namespace Amazon.Lambda.RuntimeSupport;

/// <summary>The response of one invocation (official: Amazon.Lambda.RuntimeSupport).</summary>
public class InvocationResponse
{
    /// <summary>A response whose stream the runtime disposes after sending it.</summary>
    public InvocationResponse(Stream outputStream)
        : this(outputStream, true)
    {
    }

    /// <summary>A response; <paramref name="disposeOutputStream"/> says whether the runtime disposes the stream after sending it.</summary>
    public InvocationResponse(Stream outputStream, bool disposeOutputStream)
    {
        OutputStream = outputStream ?? throw new ArgumentNullException(nameof(outputStream));
        DisposeOutputStream = disposeOutputStream;
    }

    /// <summary>The response payload.</summary>
    public Stream OutputStream { get; set; }

    /// <summary>Whether the runtime disposes <see cref="OutputStream"/> after sending it.</summary>
    public bool DisposeOutputStream { get; private set; }
}
