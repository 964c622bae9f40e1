using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Claudit.Instrumentation;

public static class ClauditChatClientBuilderExtensions
{
    /// <summary>
    /// Records the pipeline's chat calls (<see cref="ClauditChatClient"/>), with the recorder from the
    /// services (<c>AddClaudit()</c>) unless one is given.
    /// </summary>
    public static ChatClientBuilder UseClaudit(this ChatClientBuilder builder, ClauditRecorder? recorder = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new ClauditChatClient(inner, recorder ?? services.GetRequiredService<ClauditRecorder>()));
    }
}
