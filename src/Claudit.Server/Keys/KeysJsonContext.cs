using System.Text.Json.Serialization;

namespace Claudit.Server.Keys;

/// <summary>The admin API's JSON (<c>/api/keys</c>), shared with <c>claudit keys --server</c>. A request field it does not know is an error.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(VirtualKeyRequest))]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(KeyView[]))]
public sealed partial class KeysJsonContext : JsonSerializerContext;
