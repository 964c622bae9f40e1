namespace Claudit.Core.Capture;

/// <summary>
/// What makes a later attempt the retry of an earlier one: the same credential (its
/// <see cref="CredentialFingerprint"/>, never the key), the same prompt (its hash) and the same model.
/// </summary>
public readonly record struct RetryMatch(ulong Credential, string PromptHash, string? Model);
