using Microsoft.Extensions.DependencyInjection;

namespace Claudit.Instrumentation;

internal sealed class ClauditBuilder(IServiceCollection services) : IClauditBuilder
{
    public IServiceCollection Services { get; } = services;
}
