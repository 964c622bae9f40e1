using Microsoft.Extensions.DependencyInjection;

namespace Claudit.Instrumentation.Implementation;

internal sealed class ClauditBuilder(IServiceCollection services) : IClauditBuilder
{
    public IServiceCollection Services { get; } = services;
}
