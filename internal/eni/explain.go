package eni

import "strings"

// Explanation is a cloud error code in words a person understands: what
// went wrong, what to do next, and the create form field at fault ("" when
// the code concerns no field of that form).
type Explanation struct {
	Summary string
	Next    string
	Field   string
}

// Explain returns the explanation of a cloud error code. Every code in the
// error tables of CreateNetworkInterface, AttachNetworkInterface,
// DetachNetworkInterface, DeleteNetworkInterface,
// DescribeNetworkInterfaces, ModifyNetworkInterfaceAttribute, the four
// address assignment calls, TagResources and UntagResources is known,
// and so are the codes any ECS call may
// answer (throttling, credentials, signatures) and enidash's own codes for
// a call that got no answer. Unknown Throttling.* and Forbidden.* codes get
// the explanation of their family; other unknown codes report false.
func Explain(code string) (Explanation, bool) {
	if x, ok := explanations[code]; ok {
		return x, true
	}
	switch {
	case strings.HasPrefix(code, "Throttling"):
		return throttled, true
	case strings.HasPrefix(code, "Forbidden"):
		return forbidden, true
	}
	return Explanation{}, false
}

// Explanations shared by several codes.
var (
	throttled = Explanation{"The cloud is limiting how fast requests are sent.",
		"Wait a few seconds, then try again.", ""}
	forbidden = Explanation{"The credentials enidash uses are not allowed to do this.",
		"Ask the account owner to grant the RAM permission for this operation, then try again.", ""}
	badCredentials = Explanation{"The cloud does not accept the credentials enidash uses.",
		"Ask an administrator to check enidash's AccessKey pair (it may be disabled, deleted or mistyped).", ""}
	badSignature = Explanation{"The cloud could not verify the request's signature.",
		"Check the clock of the enidash server and its AccessKey secret, then try again.", ""}
	invalidParam = Explanation{"The cloud refused one of the values as not valid.",
		"Correct the value the cloud's message names, then submit again.", ""}
	instanceGone = Explanation{"The instance does not exist (any more).",
		"It may have been released; refresh the list of instances and choose another.", ""}
	eniGone = Explanation{"The ENI does not exist (any more).",
		"It may have been deleted; go back to the list to see the current ENIs.", ""}
	vswitchBusy = Explanation{"The vSwitch is not ready: it is being created or changed.",
		"Wait until the vSwitch is Available, or choose another one.", FormVSwitch}
	vswitchNoIPv6 = Explanation{"The vSwitch has no IPv6 CIDR block, so it cannot give IPv6 addresses.",
		"Choose a vSwitch with IPv6 enabled, or ask for no IPv6 addresses.", FormIPv6Count}
	eniManaged = Explanation{"The ENI is managed by a cloud service, which alone may change it.",
		"Change it through the service that manages it.", ""}
	enterpriseMix = Explanation{"Normal and enterprise security groups cannot be mixed on one ENI or instance.",
		"Choose security groups of one type only.", FormSG}
	notSameVPC = Explanation{"The ENI and the instance are in different VPCs.",
		"Choose an instance in the ENI's VPC.", ""}
	tokenReused = Explanation{"This form was already submitted with other values.",
		"Open a fresh create form and submit it again.", ""}
	trunkOnly = Explanation{"This concerns trunk ENIs, which this ENI or instance type does not support.",
		"Use a secondary ENI on an instance type that supports trunking.", ""}
	tagAccount = Explanation{"The cloud's tag service could not tell who owns the tags of this request.",
		"Try again; if it keeps failing, report the RequestId to Alibaba Cloud support.", ""}
	tagDenied = Explanation{"The credentials enidash uses may not change these tags.",
		"Ask the account owner to grant the tag permissions, then try again.", FormTags}
	tagsTooMany = Explanation{"The ENI would have more than 20 tags.",
		"Remove tags you no longer need, so that at most 20 remain.", FormTags}
	ipUnassigned = Explanation{"An address to remove is not assigned to this ENI.",
		"Refresh the page and choose among the ENI's current addresses.", FormSecondaryIPs}
)

var explanations = map[string]Explanation{
	// Any ECS call.
	"Throttling":                  throttled,
	"Throttling.User":             throttled,
	"Throttling.Api":              throttled,
	"ServiceUnavailable":          {"The cloud is temporarily unavailable.", "Try again in a moment.", ""},
	"InternalError":               {"The cloud failed with an internal error.", "Try again in a moment; if it keeps failing, report the RequestId to Alibaba Cloud support.", ""},
	"InvalidAccessKeyId.NotFound": badCredentials,
	"InvalidAccessKeyId.Inactive": badCredentials,
	"SignatureDoesNotMatch":       badSignature,
	"IncompleteSignature":         badSignature,
	"SignatureNonceUsed":          {"The cloud saw this request's one-time number before.", "Try again; a new request gets a new number.", ""},
	"InvalidTimeStamp.Expired":    {"The request's time stamp is too far from the cloud's clock.", "Ask an administrator to synchronise the clock of the enidash server.", ""},
	"InvalidTimeStamp.Format":     badSignature,
	"Forbidden":                   forbidden,
	"Forbidden.RAM":               forbidden,
	"Forbidden.SubUser":           forbidden,
	"Forbidden.NotSupportRAM":     {"RAM users may not perform this operation.", "Ask the owner of the Alibaba Cloud account to do it.", ""},
	"Abs.InvalidAccount.NotFound": {"The Alibaba Cloud account does not exist or its AccessKey pair has expired.", "Ask an administrator to check the credentials enidash uses.", ""},
	"InvalidUserType.NotSupported": {"This Alibaba Cloud account's type does not support the operation.",
		"Use another account, or ask Alibaba Cloud support which account type it needs.", ""},
	"InvalidAction.NotFound":        {"The cloud does not know this operation in this region.", "Choose another region; if it keeps failing, report the RequestId.", FormRegion},
	"InvalidRegionId.NotFound":      {"The region does not exist.", "Choose a region from the region switcher.", FormRegion},
	"MissingRegionId":               {"No region was given.", "Choose a region.", FormRegion},
	"IncorrectInstanceStatus":       {"The instance is not in a state that allows this.", "Wait until the instance is Running or Stopped, then try again.", ""},
	"IdempotentParameterMismatch":   tokenReused,
	"IdempotenceParamNotMatch":      tokenReused, // the same, as some ECS APIs spell it
	"IdempotentProcessing":          {"The same submission is still being processed.", "Wait a few seconds, then look for the ENI in the list.", ""},
	"DryRunOperation":               {"The request was only checked, not carried out.", "Submit it again without a dry run.", ""},
	"QuotaExceed.ResourceGroup":     {"The resource group quota is reached.", "Choose another resource group.", FormRG},
	"InvalidResourceGroup.NotFound": {"The resource group does not exist.", "Choose a resource group of this account, or leave it empty for the default group.", FormRG},
	// enidash's own codes for a call that got no answer (handlers).
	"Timeout":          {"The cloud did not answer in time.", "Check the list before trying again: the change may have happened.", ""},
	"Unreachable":      {"enidash could not reach the cloud.", "Check the network between enidash and the cloud, then try again.", ""},
	"AuditUnavailable": {"The audit log could not record the change, so it was not made.", "Try again shortly; if it keeps failing, tell an administrator.", ""},

	// Generic parameter errors (all five APIs).
	"MissingParameter":               {"A required value was not given.", "Fill in every required field (region, vSwitch, a security group), then submit again.", ""},
	"UnsupportedParameter":           {"The cloud does not support one of the values in this region or for this account.", "Leave the advanced settings at their defaults and try again.", ""},
	"InvalidParameter":               invalidParam,
	"InValidParameter":               invalidParam,
	"InvalidParameter.Conflict":      {"Two values that exclude each other were both given.", "Give either a count or a list of addresses or prefixes, not both.", ""},
	"InvalidInstanceID.Malformed":    {"The instance ID is not well formed.", "Choose the instance from the list instead of typing its ID.", ""},
	"InvalidParams.EniId":            {"The ENI ID is not valid.", "Open the ENI from the list instead of typing its ID.", ""},
	"Forbidden.RegionId":             {"The ENI service is not available in this region.", "Choose another region.", FormRegion},
	"InvalidOperation.InvalidRegion": {"The region is not valid for this operation.", "Choose another region.", FormRegion},
	"InvalidRegionId.MalFormed":      {"The region ID is not well formed.", "Choose a region from the region switcher.", FormRegion},

	// State of the ENI and the instance.
	"InvalidOperation.InvalidEniState":            {"The ENI is busy with another operation.", "Wait until it is Available or InUse, then try again.", ""},
	"InvalidOperation.InvalidEcsState":            {"The instance is not in a state that allows this.", "Wait until the instance is Running or Stopped, then try again.", ""},
	"InvalidOperation.InvalidEniType":             {"This operation does not apply to this type of ENI.", "Only secondary ENIs are attached, detached, deleted or moved to other security groups; choose a secondary ENI.", ""},
	"InvalidOperation.DetachPrimaryEniNotAllowed": {"The primary ENI of an instance cannot be detached.", "Detach a secondary ENI instead; the primary ENI goes with its instance.", ""},
	"InvalidOperation.HotPlugNotSupport":          {"The instance type cannot take this change while the instance runs.", "Stop the instance, then try again.", ""},
	"InvalidOperation.EniServiceManaged":          eniManaged,
	"InvalidOperation.EniLinked":                  {"The ENI is linked to other ENIs of the instance.", "Remove those links first, then detach it.", ""},
	"InvalidParameter.EniNotBelongEcs":            {"The ENI is not attached to that instance.", "Refresh the page: it may already be detached or attached elsewhere.", ""},

	// Resources that do not exist.
	"InvalidEcsId.NotFound":                 instanceGone,
	"InvalidInstanceId.NotFound":            instanceGone,
	"InvalidEniId.NotFound":                 eniGone,
	"InvalidVSwitchId.NotFound":             {"The vSwitch does not exist in this region.", "Choose a vSwitch from the list (it may have been deleted).", FormVSwitch},
	"InvalidSecurityGroupId.NotFound":       {"A security group does not exist in this region.", "Choose security groups from the list (one may have been deleted).", FormSG},
	"InvalidVpc.Empty":                      {"The VPC has no vSwitches.", "Create a vSwitch in the VPC first, or filter on another VPC.", ""},
	"InvalidVpc.Indeterminacy":              {"The cloud could not tell which VPC is meant.", "Filter on one VPC, or on vSwitches of one VPC.", ""},
	"InvalidOperation.InvalidEniPageNumber": {"The page asked for is out of range.", "Go back to the first page of the list.", ""},

	// Quotas and limits.
	"MaxEniCountExceeded":                          {"The account's ENI quota in this region is used up.", "Delete ENIs you no longer need, or raise the quota in the ECS console.", ""},
	"EniPerInstanceLimitExceeded":                  {"The instance type's ENI limit is reached.", "Choose another instance, or detach an ENI from this one first.", ""},
	"InvalidOperation.Ipv4CountExceeded":           {"The ENI or instance would have more private IPv4 addresses than allowed.", "Ask for fewer secondary addresses.", FormSecondaryCount},
	"InvalidOperation.Ipv6CountExceeded":           {"The ENI or instance would have more IPv6 addresses than allowed.", "Ask for fewer IPv6 addresses.", FormIPv6Count},
	"InvalidOperation.MaxEniIpv6IpsCountExceeded":  {"Too many IPv6 addresses for one ENI.", "Ask for at most 10 IPv6 addresses.", FormIPv6Count},
	"MaxEniPrivateIpsCountExceeded":                {"Too many secondary private IP addresses for one ENI.", "Ask for at most 49 when creating (the instance type may allow fewer).", FormSecondaryCount},
	"QuotaExceed.Tags":                             {"Too many tags.", "Give at most 20 tags.", FormTags},
	"QuotaExceeded.PrivateIpAddress":               {"The vSwitch has not enough free private IP addresses.", "Choose another vSwitch, or ask for fewer addresses.", FormVSwitch},
	"InvalidVSwitchId.IpNotEnough":                 {"The vSwitch has not enough free IP addresses.", "Choose another vSwitch, or ask for fewer addresses.", FormVSwitch},
	"AclLimitExceed":                               {"The ENI or instance would have more ACL rules than allowed.", "Choose security groups with fewer rules.", FormSG},
	"InvalidOperation.BoundingEniSlaveQuotaExceed": {"The bond ENI already has as many member ENIs as it takes.", "Remove a member ENI from the bond first.", ""},

	// Zones, VPCs and security groups.
	"InvalidOperation.AvailabilityZoneMismatch":         {"The ENI and the instance are in different zones.", "Choose an instance in the ENI's zone.", ""},
	"InvalidOperation.VpcMismatch":                      {"The security group and the vSwitch or instance are in different VPCs.", "Choose security groups of the vSwitch's VPC.", FormSG},
	"InvalidEni.NotSameVpc":                             notSameVPC,
	"InvalidSecurityGroupId.NotVpc":                     {"The security group is not a VPC security group.", "Choose a security group of the vSwitch's VPC.", FormSG},
	"SecurityGroupInstanceLimitExceed":                  {"The security group already holds as many members as it can.", "Choose another security group.", FormSG},
	"JoinedGroupLimitExceed":                            {"Too many security groups for one ENI.", "Choose fewer security groups.", FormSG},
	"InvalidParameter.SecurityGroupIdRepeated":          {"A security group is chosen twice.", "Choose each security group once.", FormSG},
	"InvalidSecurityGroupId.SingleIdAndMultiIdConflict": {"The security groups were sent in two ways at once.", "Submit again; if it keeps failing, report the RequestId.", FormSG},
	"InvalidOperation.SecurityGroupNotAuthorized":       {"You may not use this security group.", "Choose another security group, or ask its owner for permission.", FormSG},
	"InvalidOperation.ResourceManagedByCloudProduct":    {"The security group is managed by a cloud service and cannot be used here.", "Choose another security group.", FormSG},
	"InvalidOperation.EniCountExceeded":                 {"The enterprise security group already holds as many ENIs as it can.", "Choose another security group, or remove ENIs from this one.", FormSG},
	"EnterpriseGroupLimited.MutliGroupType":             enterpriseMix,
	"InvalidOperation.MultiGroupType":                   enterpriseMix,
	"InvalidOperation.NotSupportEnterpriseGroup":        {"The instance type does not support enterprise security groups.", "Choose an ENI with normal security groups, or another instance.", ""},

	// vSwitch state.
	"IncorrectVSwitchStatus":       vswitchBusy,
	"InvalidVSwitch.IllegalStatus": vswitchBusy,

	// Names, descriptions and tags.
	"InvalidParams.NetworkInterfaceName": {"The name is not valid.", "Use 2 to 128 characters: letters, digits, colons, underscores, periods and hyphens.", FormName},
	"Duplicate.TagKey":                   {"The same tag key is given twice.", "Give each tag key once.", FormTags},
	"InvalidTagKey.Malformed":            {"A tag key is not valid.", "Use 1 to 128 characters, not starting with aliyun or acs: and without http:// or https://.", FormTags},
	"InvalidTagValue.Malformed":          {"A tag value is not valid.", "Use at most 128 characters, without http:// or https://.", FormTags},

	// Private IPv4 addresses.
	"InvalidPrivateIpAddress.Duplicated": {"The private IP address is already in use.", "Choose a free address, or leave it empty to let the cloud pick one.", FormPrimaryIP},
	"InvalidVSwitchId.IpInvalid":         {"The private IP address cannot be used in the vSwitch.", "Choose an address inside the vSwitch's CIDR block (not its first or last three), or leave it empty.", FormPrimaryIP},
	"InvalidIp.Address":                  {"An IP address is not well formed or outside the allowed range.", "Correct the address, or leave it empty to let the cloud pick one.", FormPrimaryIP},
	"InvalidIp.IpRepeated":               {"An IP address is given more than once.", "Give each address once.", FormSecondaryIPs},

	// IPv6.
	"InvalidOperation.VSwitchIpv6Disabled":          vswitchNoIPv6,
	"InvalidOperation.EnableIpv6Failed":             vswitchNoIPv6,
	"InvalidOperation.AddressAlreadyAllocated":      {"An IPv6 address is already in use.", "Choose free addresses, or ask for a count instead.", FormIPv6},
	"InvalidOperation.AddressNotInVSwitchCidr":      {"An IPv6 address is outside the vSwitch's IPv6 block.", "Choose addresses inside the vSwitch's IPv6 CIDR block.", FormIPv6},
	"InvalidOperation.NotSupport":                   {"This region cannot give IPv6 addresses to a new ENI.", "Create the ENI without IPv6, and assign addresses afterwards.", FormIPv6Count},
	"InvalidOperation.EniTrafficModeNotSupportIpv6": {"A HighPerformance (RDMA) ENI cannot have IPv6 addresses.", "Choose the Standard traffic mode, or ask for no IPv6 addresses.", FormTrafficMode},

	// IPv4 prefixes.
	"InvalidIp.IpPrefixIllegal":                       {"An IPv4 prefix is not valid or not in the vSwitch.", "Give /28 prefixes inside the vSwitch's CIDR block.", FormPrefixes},
	"InvalidIp.IpPrefixMustInReserveSegment":          {"A prefix is outside the vSwitch's reserved CIDR block.", "Give prefixes inside the block the vSwitch reserves for prefixes.", FormPrefixes},
	"InvalidIp.IpPrefixMaskInvalid":                   {"A prefix has the wrong length.", "Give /28 prefixes.", FormPrefixes},
	"InvalidIp.IpPrefixMaskNotSame":                   {"The prefixes have different lengths.", "Give prefixes of one length (/28).", FormPrefixes},
	"InvalidIp.IpPrefixMaskIllegal":                   {"A prefix length is not allowed.", "Give /28 prefixes.", FormPrefixes},
	"InvalidIp.IpPrefixNotAvailable":                  {"A prefix is already in use.", "Choose free prefixes, or ask for a count instead.", FormPrefixes},
	"InvalidIp.IpPrefixNotStrict":                     {"A prefix has host bits set.", "Give the prefix by its first address, e.g. 10.0.0.16/28.", FormPrefixes},
	"InvalidVSwitchId.IpPrefixNotEnough":              {"The vSwitch has not enough free prefixes.", "Ask for fewer prefixes, or choose another vSwitch.", FormPrefixCount},
	"InvalidOperation.RegionNotSupportIpPrefix":       {"This region does not support IP prefixes.", "Ask for no prefixes, or choose another region.", FormPrefixCount},
	"InvalidOperation.VSwitchCidrReservationNotExist": {"The vSwitch has no CIDR block reserved for prefixes.", "Choose another vSwitch, or ask for no prefixes.", FormPrefixCount},

	// Queues and traffic modes.
	"InvalidParameter.InvalidEniQueueNumber":                            {"The queue number is out of range.", "Give 1 to 2048, within what the instance type supports.", FormQueueNumber},
	"InvalidOperation.MaxEniQueueNumberExceeded":                        {"The queue number is above the instance type's limit per ENI.", "Give a lower queue number, or choose another instance.", FormQueueNumber},
	"InvalidOperation.ExceedInstanceTypeQueueNumber":                    {"All ENIs of the instance together would exceed its type's queue limit.", "Lower the ENI's queue number, or choose another instance.", FormQueueNumber},
	"InvalidParameter.EniTrafficMode":                                   {"The traffic mode is not valid.", "Choose Standard or HighPerformance.", FormTrafficMode},
	"InvalidOperation.HighPerformanceTrafficModeIsNotAllowed":           {"The HighPerformance (RDMA) traffic mode is not allowed here.", "Choose the Standard traffic mode.", FormTrafficMode},
	"InvalidOperation.HighPerformanceTrafficModeEniUnsupported":         {"This type of ENI does not support the HighPerformance traffic mode.", "Choose the Standard traffic mode.", FormTrafficMode},
	"InvalidOperation.InstanceTypeNotSupportHighPerformanceTrafficMode": {"The instance type does not support HighPerformance (RDMA) ENIs.", "Choose an instance type with eRDMA, or a Standard ENI.", ""},
	"InvalidParameter.QueuePairNumberMustEmpty":                         {"Queue pairs apply only to HighPerformance ENIs.", "Choose the HighPerformance traffic mode, or give no queue pairs.", FormTrafficMode},
	"InvalidParameter.InvalidQueuePairNumber":                           {"The number of queue pairs is not valid.", "Give a number the instance type supports.", FormTrafficMode},
	"InvalidParameter.EniQueueSize":                                     {"The Tx and Rx queue depths must be equal, 8192 or 16384.", "Leave the queue depths at their defaults.", ""},
	"InvalidEniQueueSize.RegionOrUserNotSupported":                      {"Queue depths cannot be set in this region or by this account.", "Leave the queue depths at their defaults.", ""},
	"InvalidOperation.InstanceTypeNotSupportRss":                        {"The instance type does not support RSS.", "Leave the enhanced network settings at their defaults.", ""},
	"InvalidParameter.EniEnhancedNetwork":                               {"The enhanced network settings do not fit together.", "Leave the enhanced network settings at their defaults.", ""},

	// Connection tracking, network cards, trunking, bonding.
	"InvalidConnectionTrackingConfiguration.RegionOrUserNotSupported": {"Connection tracking cannot be set in this region or by this account.", "Leave the connection timeouts at their defaults.", ""},
	"InvalidParameter.EniConnectionTrackingConfiguration":             {"A connection timeout is outside its allowed values.", "Give one of the allowed values, or leave it at its default.", ""},
	"InvalidOperation.ConnectionTrackingConfigNotSupportMemberEni":    {"Member ENIs cannot have connection tracking settings.", "Leave the connection timeouts at their defaults.", ""},
	"InvalidOperation.UserNotSupportNetworkCard":                      {"This account cannot choose a network card.", "Leave the network card index empty.", ""},
	"InvalidParameter.NetworkCardIndexInvalid":                        {"The network card index does not fit the instance type.", "Leave it empty, or give an index the instance type has.", ""},
	"InvalidOperation.TrunkingIsNotAllowed":                           {"Trunk ENIs are not available to this account.", "Create a secondary ENI instead.", ""},
	"InvalidOperation.EniTypeNotSupportTrunking":                      trunkOnly,
	"InvalidOperation.InstanceTypeNotSupportEniTrunking":              trunkOnly,
	"InvalidParameter.EniNotBelongTrunk":                              {"The ENI is not a member of that trunk ENI.", "Check which trunk ENI it belongs to.", ""},
	"InvalidOperation.InvalidTrunkEniStatus":                          {"The trunk ENI is busy or in a state that does not allow this.", "Wait until the trunk ENI is Available or InUse, then try again.", ""},
	"InvalidOperation.HasMemberEniAttached":                           {"Member ENIs are still attached to this trunk ENI.", "Detach its member ENIs first.", ""},
	"InvalidOperation.SlaveEniMustHaveBondingEni":                     {"A member ENI needs its bond ENI first.", "Create the bond ENI first.", ""},
	// Changing an ENI after it exists: the address and tag calls.
	"Forbedden.NotSupportRAM":         {"RAM users may not perform this operation.", "Ask the owner of the Alibaba Cloud account to do it.", ""}, // as the IPv6 references spell it
	"Forbbiden.SubUser":               forbidden,                                                                                                 // as the IPv6 references spell it
	"InvalidAction":                   {"The cloud does not accept this operation here.", "Refresh the page and try again; if it keeps failing, report the RequestId.", ""},
	"Operation.Conflict":              {"The ENI is busy with another change.", "Wait a few seconds, then try again.", ""},
	"InvalidIp.IpAssigned":            {"An address is already assigned to an ENI.", "Choose free addresses of the vSwitch, or ask for a count instead.", FormSecondaryIPs},
	"InvalidIp.IpUnassigned":          ipUnassigned,
	"MaxEniIpv6IpsCountExceeded":      {"The ENI would have more IPv6 addresses than allowed.", "Ask for fewer IPv6 addresses: at most 10 while the ENI is not attached.", FormIPv6Count},
	"InvalidOperation.Ipv6NotSupport": {"The instance type of the ENI's instance does not support IPv6.", "Assign IPv4 addresses instead, or attach the ENI to an instance type with IPv6.", FormIPv6Count},
	"InvalidVSwitch.Ipv6NotTurnOn":    {"The ENI's vSwitch has no IPv6 CIDR block, so it cannot give IPv6 addresses.", "Assign IPv4 addresses instead, or enable IPv6 on the vSwitch in the VPC console.", FormIPv6Count},
	"MissingParameter.TagOwnerUid":    tagAccount,
	"MissingParameter.TagOwnerBid":    tagAccount,
	"MissingParameter.ResourceType":   {"The request did not say what kind of resource to tag.", "Submit again; if it keeps failing, report the RequestId.", ""},
	"MissingParameter.Tags":           {"No tag was given.", "Give at least one key=value line, or remove tags instead.", FormTags},
	"MissingParameter.RegionId":       {"No region was given.", "Choose a region.", FormRegion},
	"PermissionDenied.TagOwnerUid":    tagDenied,
	"PermissionDenied.Scope":          tagDenied,
	"NoPermission.Tag":                tagDenied,
	"NumberExceed.ResourceIds":        {"Too many resources in one tag request.", "Tag at most 50 resources at a time.", ""},
	"NumberExceed.Tags":               {"Too many tags in one request.", "Give at most 20 tags.", FormTags},
	"OperationDenied.QuotaExceed":     tagsTooMany,
	"InvalidTagCount":                 tagsTooMany,
	"InvalidResourceId.NotFound":      eniGone,
	"InvalidResourceId.NotSupported":  {"This resource cannot be tagged.", "Tag the ENI itself; if it keeps failing, report the RequestId.", ""},
	"InvalidResourceType.NotFound":    {"The cloud does not know the kind of resource to tag.", "Submit again; if it keeps failing, report the RequestId.", ""},
	"InvalidTag.Mismatch":             {"A tag key and its value do not pair up.", "Write each tag as one key=value line.", FormTags},
	"Invalid.Scope":                   {"The tag scope is not valid.", "Submit again without a scope; if it keeps failing, report the RequestId.", ""},
}
