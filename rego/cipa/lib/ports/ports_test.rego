package cipa.lib.ports_test

import data.cipa.lib.ports

test_spec_covers if {
	ports.spec_covers("22", 22)
	ports.spec_covers(" 20 - 30 ", 22)
	ports.spec_covers("*", 3389)
	ports.spec_covers(22, 22)
	ports.spec_covers("0-65535", 3389)
	not ports.spec_covers("2222", 22)
	not ports.spec_covers("23-100", 22)
	not ports.spec_covers("ssh", 22)
	not ports.spec_covers(null, 22)
}

test_protocols if {
	ports.protocol_carries("Tcp", "ssh")
	ports.protocol_carries("6", "ssh")
	ports.protocol_carries("all", "ssh")
	ports.protocol_carries("*", "rdp")
	ports.protocol_carries("udp", "rdp")
	ports.protocol_carries("17", "rdp")
	not ports.protocol_carries("udp", "ssh")
	not ports.protocol_carries("icmp", "rdp")
	not ports.protocol_carries(null, "ssh")
}

test_internet_sources if {
	every prefix in ["*", "Internet", "ANY", "0.0.0.0/0", "::/0", "0.0.0.0", "10.0.0.0/0"] {
		ports.internet_source(prefix)
	}
	not ports.internet_source("10.0.0.0/8")
	not ports.internet_source("VirtualNetwork")
	not ports.internet_source("0.0.0.0/1")
	not ports.internet_source(null)
}

test_verdicts if {
	ports.verdict(["yes", "yes"]) == "yes"
	ports.verdict(["yes", "unknown"]) == "unknown"
	ports.verdict(["unknown", "no"]) == "no"
	ports.verdict_any(["no", "unknown"]) == "unknown"
	ports.verdict_any(["no", "yes"]) == "yes"
	ports.verdict_any([]) == "no"
}
