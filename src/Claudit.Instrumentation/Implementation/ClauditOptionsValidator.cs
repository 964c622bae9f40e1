using Microsoft.Extensions.Options;

namespace Claudit.Instrumentation.Implementation;

/// <summary>Every <see cref="ClauditOptions"/> value within its range, each failure a sentence naming the setting.</summary>
internal sealed class ClauditOptionsValidator : IValidateOptions<ClauditOptions>
{
    public ValidateOptionsResult Validate(string? name, ClauditOptions options)
    {
        List<string>? failures = null;
        Check(options.QueueCapacity is >= 1 and <= 10_000_000, $"QueueCapacity must be from 1 to 10,000,000 records, not {options.QueueCapacity}");
        Check(options.BatchSize >= 1 && options.BatchSize <= options.QueueCapacity, $"BatchSize must be from 1 to QueueCapacity ({options.QueueCapacity}), not {options.BatchSize}");
        Check(options.MaxCaptureBytes is >= 1024 and <= 1 << 30, $"MaxCaptureBytes must be from 1,024 to 1,073,741,824, not {options.MaxCaptureBytes}");
        Check(options.RefuseAboveContextShare is null or (> 0 and <= 10), $"RefuseAboveContextShare must be above 0 and at most 10 (a share of the context window), not {options.RefuseAboveContextShare}");
        Check(options.DrainTimeout > TimeSpan.Zero && options.DrainTimeout <= TimeSpan.FromMinutes(10), $"DrainTimeout must be above zero and at most 10 minutes, not {options.DrainTimeout}");
        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Select(f => "ClauditOptions." + f));

        void Check(bool ok, string failure)
        {
            if (!ok)
            {
                (failures ??= []).Add(failure);
            }
        }
    }
}
