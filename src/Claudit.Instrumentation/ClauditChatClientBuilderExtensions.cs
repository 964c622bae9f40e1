using Claudit.Core.Capture;
using Claudit.Instrumentation.Implementation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Claudit.Instrumentation;

public static class ClauditChatClientBuilderExtensions
{
    /// <summary>
    /// Records the pipeline's chat calls (<see cref="ClauditChatClient"/>) with the services of
    /// <c>AddClaudit()</c>; <paramref name="configure"/> sets this client's own tags or content capture.
    /// </summary>
    public static ChatClientBuilder UseClaudit(this ChatClientBuilder builder, Action<ClauditChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var client = new ClauditChatClient(inner, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<CallTagger>(),
                services.GetRequiredService<CallFinisher>(), services.GetRequiredService<ContentQueue>());
            configure?.Invoke(client);
            return client;
        });
    }
}
