package eni

import "regexp"

// Resource IDs as the cloud mints them: a prefix, a dash and 4 to 40
// lower-case letters and digits. Every check of an ID in enidash uses
// these, so a pattern is written once.
var (
	reENIID      = resourceID("eni")
	reInstanceID = resourceID("i")
	reSGID       = resourceID("sg")
	reVSwitchID  = resourceID("vsw")
	reVPCID      = resourceID("vpc")
	reRGID       = resourceID("rg")
)

func resourceID(prefix string) *regexp.Regexp {
	return regexp.MustCompile(`^` + prefix + `-[a-z0-9]{4,40}$`)
}

// IsENIID reports whether s has the shape of an ENI ID (eni-bp1…).
func IsENIID(s string) bool { return reENIID.MatchString(s) }

// IsInstanceID reports whether s has the shape of an instance ID (i-bp1…).
func IsInstanceID(s string) bool { return reInstanceID.MatchString(s) }

// IsSecurityGroupID reports whether s has the shape of a security group
// ID (sg-bp1…).
func IsSecurityGroupID(s string) bool { return reSGID.MatchString(s) }
