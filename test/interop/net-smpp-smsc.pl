#!/usr/bin/perl
# Interop peer: Net::SMPP (an independent SMPP implementation, Debian libnet-smpp-perl) acting as
# a minimal SMSC for one ESME connection. Prints one JSON object per line on stdout describing
# what it received, so the test can check the bytes our adapter put on the wire.
#
# Behaviour: answers bind_transceiver; answers submit_sm with an upper-case HEX message id and,
# when registered_delivery asks for it, sends a deliver_sm receipt whose text quotes the id in
# DECIMAL (the classic mismatch receipts must survive). Receipts for UCS-2 submits also carry the
# receipted_message_id (hex) and message_state TLVs. Sends one enquire_link after the bind and
# answers the ESME's. Exits after unbind or when the ESME disconnects.
use strict;
use warnings;
use Net::SMPP;
use JSON::PP;
use POSIX qw(strftime);

$| = 1;
my $json = JSON::PP->new->canonical;
sub out { print $json->encode($_[0]), "\n" }

my $listener = Net::SMPP->new_listen('127.0.0.1', port => 0, smpp_version => 0x34)
  or die "listen failed: $!";
out({ event => 'listening', port => $listener->sockport });

my $conn = $listener->accept or die "accept failed: $!";
my $next_id = 0xBEEF00;

while (my $pdu = $conn->read_pdu()) {
  my $cmd = $pdu->{cmd};
  if ($cmd == Net::SMPP::CMD_bind_transceiver) {
    out({ event => 'bind_transceiver', system_id => $pdu->{system_id}, password => $pdu->{password},
          interface_version => $pdu->{interface_version} });
    $conn->bind_transceiver_resp(seq => $pdu->{seq}, system_id => 'perlsmsc');
    $conn->enquire_link(async => 1);
  }
  elsif ($cmd == Net::SMPP::CMD_submit_sm) {
    my $id = $next_id++;
    my $hex_id = sprintf('%X', $id);
    my $sm = $pdu->{short_message};
    my ($udh, $body) = ('', $sm);
    if ($pdu->{esm_class} & 0x40) {
      my $udhl = ord(substr($sm, 0, 1));
      $udh = substr($sm, 0, $udhl + 1);
      $body = substr($sm, $udhl + 1);
    }
    out({ event => 'submit_sm', seq => $pdu->{seq},
          source_addr => $pdu->{source_addr}, source_addr_ton => $pdu->{source_addr_ton},
          source_addr_npi => $pdu->{source_addr_npi}, destination_addr => $pdu->{destination_addr},
          dest_addr_ton => $pdu->{dest_addr_ton}, dest_addr_npi => $pdu->{dest_addr_npi},
          esm_class => $pdu->{esm_class}, data_coding => $pdu->{data_coding},
          registered_delivery => $pdu->{registered_delivery},
          udh_hex => unpack('H*', $udh), body_hex => unpack('H*', $body), message_id => $hex_id });
    $conn->submit_sm_resp(seq => $pdu->{seq}, message_id => $hex_id);
    if ($pdu->{registered_delivery} & 0x01) {
      my $now = strftime('%y%m%d%H%M', gmtime);
      my $text = "id:$id sub:001 dlvrd:001 submit date:$now done date:$now stat:DELIVRD err:000 text:";
      my @tlvs = $pdu->{data_coding} == 8
        ? (receipted_message_id => "$hex_id\0", message_state => chr(2))
        : ();
      $conn->deliver_sm(async => 1,
        source_addr_ton => $pdu->{dest_addr_ton}, source_addr_npi => $pdu->{dest_addr_npi},
        source_addr => $pdu->{destination_addr},
        dest_addr_ton => $pdu->{source_addr_ton}, dest_addr_npi => $pdu->{source_addr_npi},
        destination_addr => $pdu->{source_addr},
        esm_class => 0x04, data_coding => 0, short_message => $text, @tlvs);
      out({ event => 'receipt_sent', id => $id, text => $text });
    }
  }
  elsif ($cmd == Net::SMPP::CMD_deliver_sm_resp) {
    out({ event => 'deliver_sm_resp', seq => $pdu->{seq}, status => $pdu->{status} });
  }
  elsif ($cmd == Net::SMPP::CMD_enquire_link) {
    $conn->enquire_link_resp(seq => $pdu->{seq});
    out({ event => 'enquire_link' });
  }
  elsif ($cmd == Net::SMPP::CMD_enquire_link_resp) {
    out({ event => 'enquire_link_resp', status => $pdu->{status} });
  }
  elsif ($cmd == Net::SMPP::CMD_unbind) {
    $conn->unbind_resp(seq => $pdu->{seq});
    out({ event => 'unbind' });
    last;
  }
  else {
    out({ event => 'unexpected', cmd => sprintf('0x%08x', $cmd) });
    $conn->generic_nack(seq => $pdu->{seq}, status => 0x03);
  }
}
out({ event => 'closed' });
exit 0;
