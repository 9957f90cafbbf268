using Publisher.OpenApi;

return await OpenApiCli.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
