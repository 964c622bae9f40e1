namespace Claudit.Server;

/// <summary>The gateway cannot start with these settings; the message says what to change.</summary>
public sealed class GatewayStartException(string message, Exception? inner = null) : Exception(message, inner);
