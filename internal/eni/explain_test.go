package eni

import (
	"slices"
	"strings"
	"testing"
)

// documentedCodes are the error tables of the five API references, code
// for code, so a code missing from the explanations fails the test.
var documentedCodes = map[string][]string{
	"CreateNetworkInterface": {"MissingParameter", "UnsupportedParameter", "InvalidParameter", "InvalidInstanceID.Malformed",
		"InvalidOperation.InvalidEcsState", "InvalidOperation.InvalidEniState", "InvalidOperation.DetachPrimaryEniNotAllowed",
		"Forbidden.RegionId", "Duplicate.TagKey", "InvalidTagKey.Malformed", "InvalidTagValue.Malformed", "JoinedGroupLimitExceed",
		"InvalidParameter.SecurityGroupIdRepeated", "InvalidSecurityGroupId.SingleIdAndMultiIdConflict", "InvalidParameter.Conflict",
		"InvalidConnectionTrackingConfiguration.RegionOrUserNotSupported", "InvalidOperation.EniCountExceeded",
		"InvalidPrivateIpAddress.Duplicated", "IncorrectVSwitchStatus", "InvalidEniQueueSize.RegionOrUserNotSupported",
		"InvalidParameter.EniQueueSize", "InvalidParameter.EniConnectionTrackingConfiguration", "QuotaExceeded.PrivateIpAddress",
		"Throttling", "InvalidVSwitch.IllegalStatus", "InvalidParameter.EniEnhancedNetwork", "InvalidOperation.SecurityGroupNotAuthorized",
		"InternalError", "InvalidOperation.RegionNotSupportIpPrefix", "ServiceUnavailable", "InvalidUserType.NotSupported",
		"Abs.InvalidAccount.NotFound", "Forbidden.NotSupportRAM", "Forbidden.SubUser", "InValidParameter", "MaxEniCountExceeded",
		"EniPerInstanceLimitExceeded", "InvalidOperation.AvailabilityZoneMismatch", "InvalidOperation.VpcMismatch",
		"SecurityGroupInstanceLimitExceed", "InvalidSecurityGroupId.NotVpc", "InvalidOperation.InvalidEniType",
		"InvalidVSwitchId.IpNotEnough", "InvalidVSwitchId.IpInvalid", "QuotaExceed.Tags", "InvalidIp.Address", "InvalidIp.IpRepeated",
		"MaxEniPrivateIpsCountExceeded", "InvalidOperation.ResourceManagedByCloudProduct", "InvalidOperation.TrunkingIsNotAllowed",
		"InvalidParameter.InvalidEniQueueNumber", "InvalidOperation.MaxEniQueueNumberExceeded",
		"InvalidOperation.ExceedInstanceTypeQueueNumber", "InvalidParameter.EniTrafficMode",
		"InvalidOperation.HighPerformanceTrafficModeIsNotAllowed", "InvalidParameter.QueuePairNumberMustEmpty",
		"InvalidParameter.InvalidQueuePairNumber", "InvalidParams.NetworkInterfaceName", "InvalidIp.IpPrefixIllegal",
		"InvalidIp.IpPrefixMustInReserveSegment", "InvalidOperation.Ipv4CountExceeded", "InvalidOperation.Ipv6CountExceeded",
		"InvalidOperation.HighPerformanceTrafficModeEniUnsupported", "AclLimitExceed", "InvalidIp.IpPrefixMaskInvalid",
		"InvalidVSwitchId.IpPrefixNotEnough", "InvalidIp.IpPrefixMaskNotSame", "EnterpriseGroupLimited.MutliGroupType",
		"InvalidOperation.BoundingEniSlaveQuotaExceed", "InvalidIp.IpPrefixNotAvailable", "InvalidIp.IpPrefixMaskIllegal",
		"InvalidIp.IpPrefixNotStrict", "InvalidOperation.NotSupport", "InvalidEcsId.NotFound", "InvalidEniId.NotFound",
		"InvalidVSwitchId.NotFound", "InvalidSecurityGroupId.NotFound", "InvalidResourceGroup.NotFound",
		"InvalidOperation.MaxEniIpv6IpsCountExceeded", "InvalidOperation.VSwitchIpv6Disabled", "InvalidOperation.EnableIpv6Failed",
		"InvalidOperation.AddressAlreadyAllocated", "InvalidOperation.AddressNotInVSwitchCidr",
		"InvalidOperation.SlaveEniMustHaveBondingEni", "InvalidOperation.EniTrafficModeNotSupportIpv6",
		"InvalidOperation.VSwitchCidrReservationNotExist"},
	"AttachNetworkInterface": {"MissingParameter", "UnsupportedParameter", "InvalidParameter", "InvalidInstanceID.Malformed",
		"InvalidOperation.InvalidRegion", "Forbidden.RegionId", "InvalidParams.EniId", "InvalidOperation.UserNotSupportNetworkCard",
		"InvalidOperation.ConnectionTrackingConfigNotSupportMemberEni", "InvalidOperation.InvalidEcsState",
		"InvalidParameter.NetworkCardIndexInvalid", "InvalidOperation.InstanceTypeNotSupportRss", "InvalidUserType.NotSupported",
		"Abs.InvalidAccount.NotFound", "Forbidden.NotSupportRAM", "Forbidden.SubUser", "MaxEniCountExceeded",
		"EniPerInstanceLimitExceeded", "InvalidOperation.AvailabilityZoneMismatch", "InvalidOperation.VpcMismatch",
		"InvalidSecurityGroupId.NotVpc", "InvalidInstanceId.NotFound", "InvalidEni.NotSameVpc", "InvalidOperation.Ipv4CountExceeded",
		"InvalidOperation.EniServiceManaged", "InvalidOperation.MultiGroupType", "InvalidOperation.NotSupportEnterpriseGroup",
		"InvalidOperation.EniCountExceeded", "InvalidOperation.HotPlugNotSupport", "InvalidOperation.TrunkingIsNotAllowed",
		"InvalidOperation.EniTypeNotSupportTrunking", "InvalidParameter.EniNotBelongTrunk",
		"InvalidOperation.ExceedInstanceTypeQueueNumber", "InvalidOperation.InstanceTypeNotSupportHighPerformanceTrafficMode",
		"InvalidOperation.Ipv6CountExceeded", "InvalidEcsId.NotFound", "InvalidEniId.NotFound", "InvalidVSwitchId.NotFound",
		"InvalidSecurityGroupId.NotFound", "InternalError"},
	"DetachNetworkInterface": {"MissingParameter", "UnsupportedParameter", "InvalidParameter", "InvalidInstanceID.Malformed",
		"InvalidOperation.InvalidRegion", "InvalidOperation.InvalidEcsState", "InvalidOperation.InvalidEniState",
		"InvalidOperation.DetachPrimaryEniNotAllowed", "Forbidden.RegionId", "InvalidParams.EniId", "InvalidParameter.EniNotBelongEcs",
		"InvalidUserType.NotSupported", "Abs.InvalidAccount.NotFound", "Forbidden.NotSupportRAM", "Forbidden.SubUser",
		"MaxEniCountExceeded", "EniPerInstanceLimitExceeded", "InvalidOperation.AvailabilityZoneMismatch",
		"InvalidOperation.VpcMismatch", "SecurityGroupInstanceLimitExceed", "InvalidSecurityGroupId.NotVpc",
		"InvalidOperation.InvalidEniType", "InvalidOperation.EniServiceManaged", "InvalidOperation.EniLinked",
		"InvalidInstanceId.NotFound", "InvalidOperation.HotPlugNotSupport", "InvalidOperation.InvalidTrunkEniStatus",
		"InvalidOperation.InstanceTypeNotSupportEniTrunking", "InvalidParameter.EniNotBelongTrunk",
		"InvalidOperation.EniTypeNotSupportTrunking", "InvalidOperation.HasMemberEniAttached", "InvalidEcsId.NotFound",
		"InvalidEniId.NotFound", "InvalidVSwitchId.NotFound", "InvalidSecurityGroupId.NotFound"},
	"DeleteNetworkInterface": {"MissingParameter", "UnsupportedParameter", "InvalidParameter", "InvalidInstanceID.Malformed",
		"Forbidden.RegionId", "InvalidParams.EniId", "InvalidUserType.NotSupported", "Abs.InvalidAccount.NotFound",
		"Forbidden.NotSupportRAM", "Forbidden.SubUser", "MaxEniCountExceeded", "EniPerInstanceLimitExceeded",
		"InvalidOperation.AvailabilityZoneMismatch", "InvalidOperation.VpcMismatch", "InvalidSecurityGroupId.NotVpc",
		"InvalidEniId.NotFound", "InvalidOperation.EniServiceManaged", "InvalidEcsId.NotFound", "InvalidVSwitchId.NotFound",
		"InvalidSecurityGroupId.NotFound"},
	"DescribeNetworkInterfaces": {"MissingParameter", "UnsupportedParameter", "InvalidParameter", "InvalidInstanceID.Malformed",
		"InvalidOperation.InvalidEcsState", "InvalidOperation.InvalidEniState", "InvalidOperation.DetachPrimaryEniNotAllowed",
		"Forbidden.RegionId", "InvalidRegionId.MalFormed", "InvalidUserType.NotSupported", "Abs.InvalidAccount.NotFound",
		"Forbidden.NotSupportRAM", "Forbidden.SubUser", "MaxEniCountExceeded", "EniPerInstanceLimitExceeded",
		"InvalidOperation.AvailabilityZoneMismatch", "InvalidOperation.VpcMismatch", "SecurityGroupInstanceLimitExceed",
		"InvalidSecurityGroupId.NotVpc", "InvalidOperation.InvalidEniType", "InvalidVpc.Empty",
		"InvalidOperation.InvalidEniPageNumber", "InvalidVpc.Indeterminacy", "InvalidEcsId.NotFound", "InvalidEniId.NotFound",
		"InvalidVSwitchId.NotFound", "InvalidSecurityGroupId.NotFound"},
	// The tables below are those of the references of the calls that change
	// an ENI after it exists, with the codes the emulator answers for the
	// rules the references state in prose.
	"ModifyNetworkInterfaceAttribute": {"InvalidUserType.NotSupported", "Abs.InvalidAccount.NotFound", "MissingParameter",
		"Forbidden.NotSupportRAM", "UnsupportedParameter", "Forbidden.SubUser", "InvalidParameter", "InvalidInstanceID.Malformed",
		"InvalidOperation.InvalidEcsState", "InvalidOperation.InvalidEniState", "InvalidOperation.DetachPrimaryEniNotAllowed",
		"InvalidParams.EniId", "InvalidEcsId.NotFound", "InvalidEniId.NotFound", "InvalidVSwitchId.NotFound",
		"InvalidSecurityGroupId.NotFound", "EniPerInstanceLimitExceeded", "InvalidOperation.AvailabilityZoneMismatch",
		"InvalidOperation.VpcMismatch", "SecurityGroupInstanceLimitExceed", "InvalidSecurityGroupId.NotVpc",
		"InvalidOperation.InvalidEniType", "Forbidden.RegionId",
		"InvalidOperation.MultiGroupType", "JoinedGroupLimitExceed", "InvalidParameter.SecurityGroupIdRepeated",
		"InvalidParams.NetworkInterfaceName", "InvalidParameter.InvalidEniQueueNumber", "InvalidOperation.MaxEniQueueNumberExceeded",
		"InvalidOperation.ExceedInstanceTypeQueueNumber", "InvalidOperation.EniServiceManaged", "InvalidParameter.EniQueueSize"},
	"AssignPrivateIpAddresses": {"InvalidUserType.NotSupported", "Abs.InvalidAccount.NotFound", "MissingParameter",
		"Forbidden.NotSupportRAM", "UnsupportedParameter", "Forbidden.SubUser", "InvalidParameter", "InvalidInstanceID.Malformed",
		"InvalidOperation.InvalidEcsState", "InvalidOperation.InvalidEniState", "InvalidOperation.DetachPrimaryEniNotAllowed",
		"InvalidEcsId.NotFound", "InvalidEniId.NotFound", "InvalidVSwitchId.NotFound", "InvalidSecurityGroupId.NotFound",
		"EniPerInstanceLimitExceeded", "InvalidOperation.AvailabilityZoneMismatch", "InvalidOperation.VpcMismatch",
		"SecurityGroupInstanceLimitExceed", "InvalidSecurityGroupId.NotVpc", "InvalidOperation.InvalidEniType",
		"InvalidInstanceId.NotFound", "InvalidVSwitchId.IpNotEnough", "InvalidVSwitchId.IpInvalid", "InvalidIp.IpAssigned",
		"Operation.Conflict", "Forbidden.RegionId", "InvalidAction",
		"InvalidParameter.Conflict", "InvalidIp.Address", "InvalidIp.IpRepeated", "InvalidOperation.Ipv4CountExceeded",
		"InvalidIp.IpPrefixIllegal", "InvalidIp.IpPrefixMaskInvalid", "InvalidIp.IpPrefixNotStrict", "InvalidIp.IpPrefixNotAvailable",
		"InvalidVSwitchId.IpPrefixNotEnough", "IdempotentParameterMismatch", "InvalidOperation.EniServiceManaged"},
	"UnassignPrivateIpAddresses": {"InValidParameter", "MissingParameter", "InvalidOperation.InvalidEniState", "InvalidIp.IpUnassigned",
		"InvalidVSwitchId.IpInvalid", "Operation.Conflict", "InvalidEniId.NotFound", "InvalidVSwitchId.NotFound",
		"InvalidParameter", "InvalidIp.Address", "InvalidIp.IpRepeated", "InvalidOperation.InvalidEcsState",
		"InvalidOperation.EniServiceManaged"},
	"AssignIpv6Addresses": {"InvalidUserType.NotSupported", "Abs.InvalidAccount.NotFound", "MissingParameter",
		"Forbedden.NotSupportRAM", "UnsupportedParameter", "Forbbiden.SubUser", "InvalidParameter", "InvalidInstanceID.Malformed",
		"InvalidOperation.InvalidEcsState", "InvalidOperation.InvalidEniState", "InvalidEniId.NotFound",
		"InvalidOperation.InvalidEniType", "MaxEniIpv6IpsCountExceeded", "InvalidIp.IpUnassigned", "InvalidIp.IpRepeated",
		"InvalidIp.IpAssigned", "InvalidIp.Address", "InvalidOperation.Ipv4CountExceeded", "InvalidOperation.Ipv6CountExceeded",
		"InvalidOperation.Ipv6NotSupport", "InvalidVSwitch.Ipv6NotTurnOn", "InvalidVSwitchId.IpInvalid", "Forbidden.RegionId",
		"InvalidParameter.Conflict", "InvalidOperation.EniTrafficModeNotSupportIpv6", "InvalidVSwitchId.IpNotEnough",
		"IdempotentParameterMismatch", "InvalidOperation.EniServiceManaged"},
	"UnassignIpv6Addresses": {"InvalidUserType.NotSupported", "Abs.InvalidAccount.NotFound", "MissingParameter",
		"Forbedden.NotSupportRAM", "UnsupportedParameter", "Forbbiden.SubUser", "InvalidParameter", "InvalidInstanceID.Malformed",
		"InvalidOperation.InvalidEcsState", "InvalidOperation.InvalidEniState", "InvalidEniId.NotFound",
		"InvalidOperation.InvalidEniType", "InvalidIp.IpUnassigned", "InvalidIp.IpRepeated", "InvalidIp.Address", "Forbidden.RegionId",
		"InvalidOperation.EniServiceManaged"},
	"TagResources": {"MissingParameter.TagOwnerUid", "MissingParameter.TagOwnerBid", "MissingParameter.ResourceType",
		"MissingParameter.Tags", "MissingParameter.RegionId", "PermissionDenied.TagOwnerUid", "PermissionDenied.Scope",
		"NumberExceed.ResourceIds", "NumberExceed.Tags", "Duplicate.TagKey", "InvalidResourceId.NotFound",
		"InvalidResourceType.NotFound", "InvalidTagKey.Malformed", "InvalidTagValue.Malformed", "OperationDenied.QuotaExceed",
		"InvalidResourceId.NotSupported", "InvalidTag.Mismatch", "InvalidTagCount", "InvalidRegionId.NotFound", "Invalid.Scope",
		"NoPermission.Tag", "MissingParameter", "InvalidRegionId.MalFormed"},
	"UntagResources": {"MissingParameter.TagOwnerUid", "MissingParameter.TagOwnerBid", "MissingParameter.Tags",
		"MissingParameter.RegionId", "PermissionDenied.TagOwnerUid", "PermissionDenied.Scope", "NumberExceed.ResourceIds",
		"NumberExceed.Tags", "Duplicate.TagKey", "InvalidResourceId.NotFound", "InvalidResourceType.NotFound",
		"InvalidTagValue.Malformed", "InvalidRegionId.NotFound", "Invalid.Scope", "NoPermission.Tag",
		"MissingParameter.ResourceType", "InvalidTagKey.Malformed", "InvalidParameter"},
}

// commonCodes are answered by any ECS call, or made by enidash itself for
// a call that got no answer.
var commonCodes = []string{"Throttling", "Throttling.User", "Throttling.Api", "ServiceUnavailable", "InternalError",
	"InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive", "SignatureDoesNotMatch", "IncompleteSignature",
	"SignatureNonceUsed", "InvalidTimeStamp.Expired", "Forbidden", "Forbidden.RAM", "IncorrectInstanceStatus",
	"InvalidInstanceId.NotFound", "InvalidEniId.NotFound", "InvalidRegionId.NotFound", "IdempotentParameterMismatch",
	"Timeout", "Unreachable", "AuditUnavailable"}

var formFields = []string{"", FormRegion, FormZone, FormVSwitch, FormSG, FormName, FormDescription, FormPrimaryIP,
	FormSecondaryCount, FormSecondaryIPs, FormIPv6Count, FormIPv6, FormPrefixCount, FormPrefixes, FormTags, FormRG,
	FormDeleteOnRelease, FormQueueNumber, FormTrafficMode, FormSourceDestCheck, FormClientToken}

func TestExplainCoversEveryDocumentedCode(t *testing.T) {
	for api, codes := range documentedCodes {
		for _, code := range append(codes, commonCodes...) {
			t.Run(api+"/"+code, func(t *testing.T) {
				// The table itself, not a family fallback, must know it.
				x, ok := explanations[code]
				if !ok {
					t.Fatalf("%s of %s has no explanation", code, api)
				}
				if got, ok := Explain(code); !ok || got != x {
					t.Errorf("Explain(%q) = %+v, %v", code, got, ok)
				}
				checkExplanation(t, x)
			})
		}
	}
}

func checkExplanation(t *testing.T, x Explanation) {
	t.Helper()
	for _, s := range []string{x.Summary, x.Next} {
		if len(s) < 10 || !strings.HasSuffix(s, ".") || strings.ToUpper(s[:1]) != s[:1] && !strings.HasPrefix(s, "enidash") {
			t.Errorf("%q is not a sentence", s)
		}
		if strings.Contains(s, "%s") {
			t.Errorf("%q has a placeholder", s)
		}
	}
	if !slices.Contains(formFields, x.Field) {
		t.Errorf("field %q is not a key of the create form", x.Field)
	}
}

func TestExplainExamples(t *testing.T) {
	tests := []struct {
		code, summary, next, field string
	}{
		{"InvalidOperation.InvalidEniState", "busy", "Available or InUse", ""},
		{"EniPerInstanceLimitExceeded", "ENI limit", "detach an ENI", ""},
		{"InvalidVSwitchId.NotFound", "vSwitch does not exist", "Choose a vSwitch", FormVSwitch},
		{"InvalidResourceGroup.NotFound", "resource group", "resource group", FormRG},
		{"InvalidPrivateIpAddress.Duplicated", "already in use", "free address", FormPrimaryIP},
		{"InvalidOperation.VpcMismatch", "different VPCs", "security groups", FormSG},
		{"Duplicate.TagKey", "tag key", "once", FormTags},
		{"IdempotentParameterMismatch", "already submitted with other values", "fresh create form", ""},
		{"IdempotenceParamNotMatch", "already submitted with other values", "fresh create form", ""},
		{"Throttling.Whatever", "limiting", "Wait", ""},
		{"Forbidden.Something", "not allowed", "RAM permission", ""},
		{"InvalidIp.IpUnassigned", "not assigned to this ENI", "current addresses", FormSecondaryIPs},
		{"InvalidVSwitch.Ipv6NotTurnOn", "no IPv6", "IPv4", FormIPv6Count},
		{"OperationDenied.QuotaExceed", "more than 20 tags", "at most 20", FormTags},
		{"InvalidOperation.MultiGroupType", "cannot be mixed", "one type", FormSG},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			x, ok := Explain(tt.code)
			if !ok {
				t.Fatal("unknown")
			}
			if !strings.Contains(x.Summary, tt.summary) || !strings.Contains(x.Next, tt.next) || x.Field != tt.field {
				t.Errorf("Explain(%q) = %+v", tt.code, x)
			}
		})
	}
}

func TestExplainUnknown(t *testing.T) {
	for _, code := range []string{"", "NoSuchCode", "invalidparameter", "Invalid", "InvalidEniId"} {
		if x, ok := Explain(code); ok {
			t.Errorf("Explain(%q) = %+v, true; want unknown", code, x)
		}
	}
}

// Every explanation in the table reads as sentences and names a real field.
func TestExplanationsAreSentences(t *testing.T) {
	for code, x := range explanations {
		t.Run(code, func(t *testing.T) { checkExplanation(t, x) })
	}
}
