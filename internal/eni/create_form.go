package eni

// Keys of the create form (GET /enis/new, POST /enis). Field errors and
// explained cloud errors name these keys, so the form can show each
// message at its input.
const (
	FormRegion          = "region"
	FormZone            = "zone"
	FormVSwitch         = "vswitch"
	FormSG              = "sg" // repeatable
	FormName            = "name"
	FormDescription     = "description"
	FormPrimaryIP       = "primary_ip"
	FormSecondaryCount  = "secondary_count"
	FormSecondaryIPs    = "secondary_ips"
	FormIPv6Count       = "ipv6_count"
	FormIPv6            = "ipv6"
	FormPrefixCount     = "prefix_count"
	FormPrefixes        = "prefixes"
	FormTags            = "tags"
	FormRG              = "rg"
	FormDeleteOnRelease = "delete_on_release"
	FormQueueNumber     = "queue_number"
	FormTrafficMode     = "traffic_mode"
	FormSourceDestCheck = "source_dest_check"
	FormClientToken     = "client_token"
)
