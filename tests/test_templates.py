import pytest

from bench.loghub import LOGHUB, grouping_accuracy, systems
from doctor.digest import TemplateMiner, assign_templates
from doctor.digest.header import split_header
from doctor.digest.templates import mask_tokens


@pytest.mark.parametrize("line,message,level", [
    ("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049 terminating",
     "PacketResponder 1 for block blk_38865049 terminating", "INFO"),
    ("2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster",
     "Created MRAppMaster", "INFO"),
    ("2015-07-29 17:41:44,747 - WARN  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200",
     "Notification time out: 3200", "WARNING"),
    ("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
     "Invalid user webmaster from 173.234.31.186", None),
    ("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
     "mod_jk child workerEnv in error state 6", "ERROR"),
    ("[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS",
     "proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS", None),
    ("2026-11-20 09:00:01.123 UTC [1234] FATAL:  sorry, too many clients already",
     "sorry, too many clients already", "CRITICAL"),
    ("2026-11-20T09:00:01.123Z ERROR [strategy] sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached",
     "sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached", "ERROR"),
    ('{"timestamp":"2026-11-20T09:00:00Z","level":"error","message":"order rejected","service":"executor"}',
     "order rejected", "ERROR"),
    ('time=2026-11-20T09:00:00Z level=warn msg="slow query" duration=2.3s', "slow query", "WARNING"),
    ("KeyError: 'DATABASE_URL'", "KeyError: 'DATABASE_URL'", None),
])
def test_header_is_set_aside_without_per_system_settings(line, message, level):
    parsed = split_header(line)
    assert parsed.message == message
    assert parsed.level == level


def test_variables_are_masked_keys_and_units_kept():
    assert mask_tokens("order id=000 took 00 ms for user=bob") == ["order", "id=<*>", "took", "<*>", "for", "user=bob"]
    assert mask_tokens("0000 bytes (0.00 KB) received, lifetime <0 sec") == ["<*>", "bytes", "received,", "lifetime", "<*>"]


def test_lines_differing_only_in_variables_share_a_template():
    lines = [
        "2026-11-20T09:00:01Z INFO executor.orders: order ord-8f3a1c filled buy 0.1200 BTC-USDT at 67012.50",
        "2026-11-20T09:00:02Z INFO executor.orders: order ord-77ce42 filled buy 0.0001 ETH-USDT at 3011.10",
        "2026-11-20T09:00:03Z INFO executor.orders: order ord-a1b2c3 filled sell 2.5000 SOL-USDT at 141.00",
        "2026-11-20T09:00:04Z ERROR executor.orders: order ord-a1b2c3 rejected: insufficient balance",
    ]
    keys = assign_templates(lines)
    assert keys[0] == keys[1] == keys[2] != keys[3]
    m = TemplateMiner()
    for line in lines[:3]:
        t = m.add(line).template
    assert t.text == "order <*> filled <*> <*> <*> at <*>"
    assert t.size == 3


def test_fast_path_agrees_with_the_tree():
    # The same line seen again (different digits) takes the dictionary, and must land on the same template.
    m = TemplateMiner()
    first = m.add("2026-11-20T09:00:01Z WARN pool: 5 of 10 connections busy").template
    again = m.add("2026-11-20T09:13:59Z WARN pool: 9 of 10 connections busy").template
    assert first is again and first.size == 2


@pytest.mark.skipif(not LOGHUB.is_dir(), reason="shared Loghub samples not beside the checkout")
def test_grouping_accuracy_on_loghub_raw_lines():
    scores = {name: grouping_accuracy(assign_templates(lines), truth) for name, (lines, truth) in systems().items()}
    assert len(scores) == 8
    assert sum(scores.values()) / len(scores) >= 0.86, scores
