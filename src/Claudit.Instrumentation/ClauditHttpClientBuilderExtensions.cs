using Microsoft.Extensions.DependencyInjection;

namespace Claudit.Instrumentation;

public static class ClauditHttpClientBuilderExtensions
{
    /// <summary>Records the Anthropic calls of this named client: <c>services.AddHttpClient("anthropic").AddClauditHandler()</c>.</summary>
    public static IHttpClientBuilder AddClauditHandler(this IHttpClientBuilder builder) =>
        builder.AddHttpMessageHandler(sp => sp.CreateClauditHandler());
}
