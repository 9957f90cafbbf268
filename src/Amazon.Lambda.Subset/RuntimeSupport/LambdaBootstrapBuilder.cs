using Amazon.Lambda.Core;

namespace Amazon.Lambda.RuntimeSupport;

/// <summary>Builds a <see cref="LambdaBootstrap"/> (official: Amazon.Lambda.RuntimeSupport; only the Stream handler shape).</summary>
public class LambdaBootstrapBuilder
{
    private readonly HandlerWrapper _handlerWrapper;
    private LambdaBootstrapInitializer _lambdaBootstrapInitializer;

    private LambdaBootstrapBuilder(HandlerWrapper handlerWrapper)
    {
        _handlerWrapper = handlerWrapper;
    }

    /// <summary>A builder for a handler that takes the raw event and returns the raw response.</summary>
    public static LambdaBootstrapBuilder Create(Func<Stream, ILambdaContext, Task<Stream>> handler) =>
        new(HandlerWrapper.GetHandlerWrapper(handler));

    /// <summary>Sets the initializer that runs once before the first invocation (the init phase). A false
    /// result ends the bootstrap; an exception is reported to <c>/runtime/init/error</c> and rethrown.</summary>
    public LambdaBootstrapBuilder UseBootstrapHandler(LambdaBootstrapInitializer lambdaBootstrapInitializer)
    {
        _lambdaBootstrapInitializer = lambdaBootstrapInitializer;
        return this;
    }

    /// <summary>Builds the bootstrap.</summary>
    public LambdaBootstrap Build() => new(_handlerWrapper, _lambdaBootstrapInitializer);
}
