using Microsoft.Extensions.DependencyInjection;

namespace Claudit.Instrumentation;

/// <summary>What <c>services.AddClaudit()</c> returns: sinks and enrichers are added through it.</summary>
public interface IClauditBuilder
{
    IServiceCollection Services { get; }
}
