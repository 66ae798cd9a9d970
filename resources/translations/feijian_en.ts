<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name />
    <message>
        <location filename="../../src/feijian/gui/record_dialog.py" line="42" />
        <source>添加一行</source>
        <translation>Add row</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/record_dialog.py" line="43" />
        <source>删除所选行</source>
        <translation>Delete selected rows</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/font_size.py" line="119" />
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/font_size.py" line="121" />
        <source>放大字号</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/font_size.py" line="121" />
        <source>缩小字号</source>
        <translation>Smaller text</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/font_size.py" line="122" />
        <source>默认字号</source>
        <translation>Default text size</translation>
    </message>
</context>
<context>
    <name>AnalysisPage</name>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="376" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="413" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="798" />
        <source>分析</source>
        <translation>Analysis</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="55" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="377" />
        <source>SQL 查询</source>
        <translation>SQL query</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="53" />
        <source>字段统计</source>
        <translation>Field statistics</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="53" />
        <source>分层</source>
        <translation>Stratification</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="53" />
        <source>序号缺失</source>
        <translation>Gaps in a sequence</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="53" />
        <source>序号重复</source>
        <translation>Duplicate numbers</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="54" />
        <source>重复项</source>
        <translation>Duplicates</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="54" />
        <source>本福特检验</source>
        <translation>Benford's test</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="54" />
        <source>前 N 名</source>
        <translation>Top N</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="54" />
        <source>交叉表</source>
        <translation>Cross tabulation</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="68" />
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="68" />
        <source>常见值个数</source>
        <translation>Frequent values</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="69" />
        <source>分层字段</source>
        <translation>Field to stratify</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="69" />
        <source>等宽分层数</source>
        <translation>Equal-width bands</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="70" />
        <source>自定边界</source>
        <translation>Own band edges</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="70" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="73" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="77" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="81" />
        <source>合计字段</source>
        <translation>Field to sum</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="71" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="72" />
        <source>序号字段</source>
        <translation>Number field</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="71" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="72" />
        <source>分组字段</source>
        <translation>Group by</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="73" />
        <source>比对字段</source>
        <translation>Fields to compare</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="74" />
        <source>金额字段</source>
        <translation>Amount field</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="75" />
        <source>检验</source>
        <translation>Test</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="76" />
        <source>最小金额</source>
        <translation>Minimum amount</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="77" />
        <source>按字段</source>
        <translation>By field</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="78" />
        <source>个数</source>
        <translation>How many</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="78" />
        <source>排序</source>
        <translation>Order</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="79" />
        <source>按金额</source>
        <translation>by amount</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="79" />
        <source>按行数</source>
        <translation>by rows</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="80" />
        <source>行字段</source>
        <translation>Row field</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="80" />
        <source>列字段</source>
        <translation>Column field</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="84" />
        <source>统计量</source>
        <translation>Statistic</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="84" />
        <source>值</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="84" />
        <source>行数</source>
        <translation>Rows</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="84" />
        <source>区间</source>
        <translation>Band</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="84" />
        <source>下限</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="85" />
        <source>上限</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="85" />
        <source>行数占比（%）</source>
        <translation>Rows (%)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="85" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="89" />
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="85" />
        <source>金额占比（%）</source>
        <translation>Amount (%)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="86" />
        <source>数字</source>
        <translation>Digits</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="86" />
        <source>实际占比（%）</source>
        <translation>Actual (%)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="86" />
        <source>期望占比（%）</source>
        <translation>Expected (%)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="86" />
        <source>差（百分点）</source>
        <translation>Difference (points)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="86" />
        <source>Z 值</source>
        <translation>Z</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="87" />
        <source>前缀</source>
        <translation>Prefix</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="87" />
        <source>缺失前序号</source>
        <translation>Last before the gap</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="87" />
        <source>缺失后序号</source>
        <translation>First after the gap</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="87" />
        <source>缺失个数</source>
        <translation>Missing</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="88" />
        <source>总行数</source>
        <translation>Rows</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="88" />
        <source>非空值</source>
        <translation>Values</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="88" />
        <source>空值</source>
        <translation>Empty</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="88" />
        <source>不同值</source>
        <translation>Distinct</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="88" />
        <source>最小值</source>
        <translation>Minimum</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="89" />
        <source>最大值</source>
        <translation>Maximum</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="89" />
        <source>均值</source>
        <translation>Mean</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="89" />
        <source>标准差</source>
        <translation>Standard deviation</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="89" />
        <source>1% 分位数</source>
        <translation>1st percentile</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="90" />
        <source>5% 分位数</source>
        <translation>5th percentile</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="90" />
        <source>25% 分位数</source>
        <translation>25th percentile</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="90" />
        <source>中位数</source>
        <translation>Median</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="90" />
        <source>75% 分位数</source>
        <translation>75th percentile</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="90" />
        <source>95% 分位数</source>
        <translation>95th percentile</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="91" />
        <source>99% 分位数</source>
        <translation>99th percentile</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="93" />
        <source>紧密符合</source>
        <translation>close conformity</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="93" />
        <source>可接受符合</source>
        <translation>acceptable conformity</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="93" />
        <source>勉强符合</source>
        <translation>marginal conformity</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="93" />
        <source>不符合</source>
        <translation>nonconformity</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="378" />
        <source>命令记录</source>
        <translation>Command log</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="411" />
        <source>运行 (Ctrl+Enter)</source>
        <translation>Run (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="416" />
        <source>表</source>
        <translation>Table</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="445" />
        <source>只读 SELECT 查询，例如：
SELECT bilg_dept_codg, count(*) AS n, sum(det_item_fee_sumamt) AS total
FROM fees GROUP BY bilg_dept_codg ORDER BY total DESC</source>
        <translation>A read-only SELECT query, for example:
SELECT bilg_dept_codg, count(*) AS n, sum(det_item_fee_sumamt) AS total
FROM fees GROUP BY bilg_dept_codg ORDER BY total DESC</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="449" />
        <source>运行查询 (Ctrl+Enter)</source>
        <translation>Run query (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="452" />
        <source>本案件的表和字段（双击插入）</source>
        <translation>This case's tables and fields (double-click to insert)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="466" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="754" />
        <source>重新运行</source>
        <translation>Run again</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="467" />
        <source>载入到表单</source>
        <translation>Load into the form</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="468" />
        <source>每次分析和查询都记入案件：何人、何时、问了什么、结果行数和 SHA-256</source>
        <translation>Every analysis and query is logged in the case: who, when, what was asked, the result's row count and SHA-256</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="486" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="486" />
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="487" />
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="487" />
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="488" />
        <source>结果行数</source>
        <translation>Result rows</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="488" />
        <source>结果 SHA-256</source>
        <translation>Result SHA-256</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="516" />
        <source>导出 CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="520" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="982" />
        <source>附为问题证据</source>
        <translation>Attach to a finding as evidence</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="522" />
        <source>页</source>
        <translation>Page</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="575" />
        <source>尚无数据 — 先在“数据”页导入数据文件夹 (Ctrl+2)</source>
        <translation>No data yet — import a data folder on the Data page first (Ctrl+2)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="591" />
        <source>（尚无问题）</source>
        <translation>(no finding yet)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="622" />
        <source>留空“自定边界”时按最小值到最大值等宽分层；边界如 0, 100, 500, 1000</source>
        <translation>With no own band edges, equal-width bands from the minimum to the maximum; edges e.g. 0, 100, 500, 1000</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="623" />
        <source>序号读作前缀加末尾数字（如 INV-000123），在每个分组内找缺号</source>
        <translation>A number reads as a prefix and trailing digits (e.g. INV-000123); gaps are found within each group</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="624" />
        <source>同一分组内出现不止一次的序号</source>
        <translation>Numbers that occur more than once within a group</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="625" />
        <source>所选字段全部相同的行（空值与空值相同），大组在前</source>
        <translation>Rows equal in every chosen field (empty equals empty), largest groups first</translation>
    </message>
    <message>
        <source>只计金额不小于 10 的值（Nigrini）；MAD 符合度按 Nigrini 的阈值</source>
        <translation>Only amounts of at least 10 count (Nigrini); MAD conformity by Nigrini's thresholds</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="627" />
        <source>列字段最多 60 个取值</source>
        <translation>At most 60 values of the column field</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="630" />
        <source>此表没有数值字段，请换一张表</source>
        <translation>This table has no numeric field; choose another table</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="637" />
        <source>（不选）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="667" />
        <source>留空为 %1（Nigrini）</source>
        <translation>Blank: %1 (Nigrini)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="669" />
        <source>如 0, 100, 500, 1000（留空为等宽分层）</source>
        <translation>e.g. 0, 100, 500, 1000 (empty for equal-width bands)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="733" />
        <source>分析：%1</source>
        <translation>Analysis: %1</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="746" />
        <source>运行查询</source>
        <translation>Run query</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="801" />
        <source>已取消：没有记录结果</source>
        <translation>Cancelled: no result was logged</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="822" />
        <source>/ %1 页</source>
        <translation>/ %1 pages</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="832" />
        <source>共 %1 行</source>
        <translation>%1 rows</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="834" />
        <source>（显示前 %1 行）</source>
        <translation>(first %1 rows shown)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="835" />
        <source>不到 0.1 秒</source>
        <translation>under 0.1 s</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="836" />
        <source>用时 %1</source>
        <translation>took %1</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="845" />
        <source>参与 %1 个值（排除 %2 个小于 %3 的值）；MAD = %4，%5（紧密 ≤ %6，可接受 ≤ %7，勉强 ≤ %8）；χ² = %9，p %10</source>
        <translation>%1 values tested (%2 values below %3 left out); MAD = %4, %5 (close ≤ %6, acceptable ≤ %7, marginal ≤ %8); χ² = %9, p %10</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="856" />
        <source>没有不小于 %1 的值可检验</source>
        <translation>No value of at least %1 to test</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="858" />
        <source>缺号 %1 处，共缺 %2 个序号；%3 个序号无末尾数字，未计入</source>
        <translation>%1 gaps, %2 numbers missing; %3 numbers without trailing digits not counted</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="862" />
        <source>重复 %1 组，涉及 %2 行</source>
        <translation>%1 duplicate groups, %2 rows</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="867" />
        <source>%1 行，%2 合计 %3</source>
        <translation>%1 rows, %2 total %3</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="874" />
        <source>与命令记录中的结果一致（%1 行，SHA-256 相同）</source>
        <translation>Same as the logged result (%1 rows, same SHA-256)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="875" />
        <source>与命令记录中的结果不同：记录为 %1 行，SHA-256 %2</source>
        <translation>Differs from the logged result: logged %1 rows, SHA-256 %2</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="878" />
        <source>（行数相同：若 ORDER BY 未定下每一行的次序，行序可能不同）</source>
        <translation>(same row count: unless ORDER BY fixes the order of every row, rows may come in another order)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="903" />
        <source>本福特检验（%1）：%2</source>
        <translation>Benford's test (%1): %2</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="75" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="904" />
        <source>首位数字</source>
        <translation>first digit</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="75" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="904" />
        <source>前两位数字</source>
        <translation>first two digits</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="626" />
        <source>只计绝对值不小于“最小金额”的值（留空为 10，Nigrini）；MAD 符合度按 Nigrini 的阈值</source>
        <translation>Only values whose absolute value is at least the minimum amount count (blank: 10, Nigrini); MAD conformity by Nigrini's thresholds</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="906" />
        <source> — MAD %1，%2</source>
        <translation> — MAD %1, %2</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="913" />
        <source>分层：%1 各区间行数</source>
        <translation>Strata: rows per band of %1</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="923" />
        <source>前 %1 名：%2</source>
        <translation>Top %1: %2</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="929" />
        <source>%1 最常见的值</source>
        <translation>Most frequent values of %1</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="987" />
        <source>已附为问题“%1”的证据：%2 行，结果 SHA-256 %3</source>
        <translation>Attached as evidence to the finding "%1": %2 rows, result SHA-256 %3</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="1014" />
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="1017" />
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="1021" />
        <source>已导出：%1</source>
        <translation>Exported: %1</translation>
    </message>
</context>
<context>
    <name>BureauWindow</name>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="210" />
        <source>医保局 — 接收、归档、跨机构模型与线索</source>
        <translation>Bureau — intake, archive, cross-institution models and clues</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="213" />
        <source>归档与密钥</source>
        <translation>Archive and key</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="217" />
        <source>SQLite 归档文件（加密），或 postgresql://… 地址</source>
        <translation>An (encrypted) SQLite archive file, or a postgresql://… URL</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="218" />
        <source>选择文件…</source>
        <translation>Choose a file…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="222" />
        <source>归档：</source>
        <translation>Archive:</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="226" />
        <source>解锁并打开</source>
        <translation>Unlock and open</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="231" />
        <source>医保局口令：</source>
        <translation>Bureau passphrase:</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="232" />
        <source>尚未打开归档</source>
        <translation>No archive open</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="237" />
        <source>接收</source>
        <translation>Intake</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="238" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="307" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="331" />
        <source>机构</source>
        <translation>Institutions</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="239" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="294" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="307" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="334" />
        <source>模型</source>
        <translation>Models</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="240" />
        <source>线索</source>
        <translation>Clues</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="250" />
        <source>选择数据包并接收…</source>
        <translation>Choose packages and take them in…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="256" />
        <source>数据包</source>
        <translation>Package</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="256" />
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="256" />
        <source>原因码</source>
        <translation>Reason code</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="256" />
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="257" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="311" />
        <source>说明</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="264" />
        <source>机构编码</source>
        <translation>Institution code</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="264" />
        <source>机构名称</source>
        <translation>Institution name</translation>
    </message>
    <message>
        <source>地区码</source>
        <translation>Region code</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="265" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="297" />
        <source>案件数</source>
        <translation>Cases</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="265" />
        <source>数据行数</source>
        <translation>Data rows</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="273" />
        <source>限定期间</source>
        <translation>Limit to a period</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="282" />
        <source>运行模型</source>
        <translation>Run the models</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="286" />
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="294" />
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="294" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="297" />
        <source>命中数</source>
        <translation>Hits</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="294" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="310" />
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="295" />
        <source>耗时（秒）</source>
        <translation>Time (s)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="297" />
        <source>机构数</source>
        <translation>Institutions</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="298" />
        <source>按模型</source>
        <translation>By model</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="308" />
        <source>人员编号</source>
        <translation>Person no.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="308" />
        <source>就诊编号</source>
        <translation>Encounter no.</translation>
    </message>
    <message>
        <source>项目编码</source>
        <translation>Item code</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="264" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="297" />
        <source>地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="309" />
        <source>期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="309" />
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="318" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="465" />
        <source>线索清单写入的文件夹</source>
        <translation>Folder for the clue lists</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="319" />
        <source>选择文件夹…</source>
        <translation>Choose a folder…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="321" />
        <source>写出签名的线索清单</source>
        <translation>Write the signed clue lists</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="323" />
        <source>文件夹：</source>
        <translation>Folder:</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="331" />
        <source>清单文件</source>
        <translation>List file</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="331" />
        <source>线索数</source>
        <translation>Clues</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="331" />
        <source>签名文件</source>
        <translation>Signature file</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="333" />
        <source>各模型的核查反馈</source>
        <translation>Feedback per model</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="334" />
        <source>下发</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="334" />
        <source>回收</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="334" />
        <source>已反馈</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="335" />
        <source>属实</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="335" />
        <source>部分属实</source>
        <translation>Partly confirmed</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="335" />
        <source>不属实</source>
        <translation>Not confirmed</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="335" />
        <source>无法核实</source>
        <translation>Could not verify</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="336" />
        <source>核实金额（元）</source>
        <translation>Verified amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="336" />
        <source>准确率</source>
        <translation>Precision</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="353" />
        <source>选择或新建归档</source>
        <translation>Choose or create an archive</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="354" />
        <source>归档 (*.sqlite *.db);;所有文件 (*)</source>
        <translation>Archives (*.sqlite *.db);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="361" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="364" />
        <source>打开归档</source>
        <translation>Open the archive</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="371" />
        <source>已打开：%1</source>
        <translation>Open: %1</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="378" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="379" />
        <source>读取归档</source>
        <translation>Reading the archive</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="390" />
        <source>选择数据包</source>
        <translation>Choose packages</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="391" />
        <source>飞检数据包 (*.fjpkg);;所有文件 (*)</source>
        <translation>feijian packages (*.fjpkg);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="396" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="398" />
        <source>接收数据包</source>
        <translation>Taking packages in</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="402" />
        <source>已接收</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="402" />
        <source>拒收</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="403" />
        <source>已核验并归档，回执已写在数据包旁</source>
        <translation>Verified and archived; the receipt is written beside the package</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="410" />
        <source>本次 %1 个数据包：接收 %2，拒收 %3</source>
        <translation>%1 packages: %2 accepted, %3 rejected</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="420" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="422" />
        <source>运行跨机构模型</source>
        <translation>Running the cross-institution models</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="435" />
        <source>运行 %1：共 %2 条命中</source>
        <translation>Run %1: %2 hits</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="472" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="475" />
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="477" />
        <source>写出线索清单</source>
        <translation>Write the clue lists</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="472" />
        <source>请先选择写入的文件夹</source>
        <translation>Choose the folder to write to first</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/bureau_page.py" line="483" />
        <source>已写出 %1 份线索清单及医保局公钥 bureau.pub。清单含人员编号，请按涉密文件传递。</source>
        <translation>%1 clue lists written, with the bureau's public key bureau.pub. The lists carry person numbers: hand them over as confidential documents.</translation>
    </message>
</context>
<context>
    <name>CaptureDialog</name>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="35" />
        <source>采集纸质页面</source>
        <translation>Capture paper pages</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="38" />
        <source>就诊 %1　照片 %2</source>
        <translation>Encounter %1　photo %2</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="50" />
        <source>（无法预览）</source>
        <translation>(no preview)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="54" />
        <source>识别 %1 页，最低置信度 %2</source>
        <translation>%1 page(s) read, lowest confidence %2</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="56" />
        <source>；页面已按轮廓拉正</source>
        <translation>; page straightened by its outline</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="69" />
        <location filename="../../src/feijian/gui/capture_dialog.py" line="107" />
        <source>请选择文书类型</source>
        <translation>Choose the document type</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="70" />
        <source>文书类型</source>
        <translation>Document type</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="79" />
        <source>据页面文字：%1，请核对</source>
        <translation>From the page text: %1, please check</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="81" />
        <source>页面上没有读出住院期间的日期，请填写</source>
        <translation>No date within the stay was read on the page; please enter it</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="85" />
        <source>记录时间</source>
        <translation>Recorded at</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="88" />
        <source>可选，例如：护理记录（第 2 页）</source>
        <translation>Optional, e.g. nursing record (page 2)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="89" />
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="91" />
        <source>照片原样存入证据库（加密、登记哈希）；识别文字作为本次就诊的一份病历文书，记入日志，可撤销。</source>
        <translation>The photo goes into the evidence vault as it is (encrypted, hash registered); the read text becomes a record document of this encounter, logged and undoable.</translation>
    </message>
</context>
<context>
    <name>CaptureFlow</name>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="140" />
        <source>识别页面 %1</source>
        <translation>Reading page %1</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="164" />
        <source>采集纸质页面 %1</source>
        <translation>Capturing paper page %1</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/capture_dialog.py" line="170" />
        <source>采集纸质页面</source>
        <translation>Capture paper pages</translation>
    </message>
</context>
<context>
    <name>CaseWindow</name>
    <message>
        <location filename="../../src/feijian/gui/case_window.py" line="135" />
        <source>飞检工作台</source>
        <translation>Flight Inspection Workbench</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/case_window.py" line="188" />
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/case_window.py" line="189" />
        <location filename="../../src/feijian/gui/case_window.py" line="196" />
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/case_window.py" line="191" />
        <location filename="../../src/feijian/gui/case_window.py" line="197" />
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/case_window.py" line="198" />
        <source>运行全部规则</source>
        <translation>Run all rules</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/case_window.py" line="201" />
        <source>筛查(&amp;R)</source>
        <translation>&amp;Screen</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/case_window.py" line="203" />
        <source>转到(&amp;G)</source>
        <translation>&amp;Go</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/case_window.py" line="216" />
        <source>快捷键</source>
        <translation>Keys</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/case_window.py" line="246" />
        <source>疑点 %1 条 · 待核查 %2 · 已确认 %3 · 已排除 %4</source>
        <translation>%1 hits · %2 open · %3 confirmed · %4 dismissed</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/case_window.py" line="251" />
        <source>尚未筛查</source>
        <translation>Not screened yet</translation>
    </message>
    <message>
        <source>概览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>数据</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>疑点</source>
        <translation>Hits</translation>
    </message>
    <message>
        <source>病历费用对照</source>
        <translation>Record vs billing</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Findings</translation>
    </message>
    <message>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
</context>
<context>
    <name>CasesHome</name>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="28" />
        <location filename="../../src/feijian/gui/cases_home.py" line="106" />
        <source>案件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="36" />
        <source>新建案件…</source>
        <translation>New case…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="37" />
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="38" />
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="39" />
        <source>创建演示案件</source>
        <translation>Create demo case</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="40" />
        <source>合成的演示医院数据，含各类预置违规，便于熟悉工作台</source>
        <translation>A synthetic demo hospital with planted violations of every kind, to get to know the workbench</translation>
    </message>
    <message>
        <source>数据目录中还没有案件。点击“新建案件…”开始。</source>
        <translation>No cases in the data folder yet. Click “New case…” to start.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="64" />
        <source>欢迎使用飞检工作台</source>
        <translation>Welcome to the feijian workbench</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="68" />
        <source>第一次使用？先打开演示案件熟悉流程，或直接为被检机构新建案件。</source>
        <translation>First time? Open the demo case to learn the steps, or create a case for the institution right away.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="76" />
        <source>打开演示案件</source>
        <translation>Open the demo case</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="77" />
        <source>合成的演示医院，已导入并筛查，含预置违规</source>
        <translation>A synthetic demo hospital, imported and screened, with planted violations</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="78" />
        <source>新建案件</source>
        <translation>New case</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="79" />
        <source>填写被检机构，再导入医院数据 (Ctrl+N)</source>
        <translation>Enter the institution, then import the hospital's data (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="107" />
        <source>被检机构</source>
        <translation>Institution</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="108" />
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="109" />
        <source>阶段</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="110" />
        <source>疑点</source>
        <translation>Hits</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="111" />
        <source>已确认</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="112" />
        <source>确认金额（元）</source>
        <translation>Confirmed amount (CNY)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="113" />
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/cases_home.py" line="119" />
        <source>当前身份：</source>
        <translation>Signed in as: </translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="282" />
        <source>导入数据文件夹(&amp;I)…</source>
        <translation>&amp;Import a data folder…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="305" />
        <location filename="../../src/feijian/gui/pages/data_page.py" line="407" />
        <source>选择一个导入批次，查看其拒收与待核对的行</source>
        <translation>Select an import batch to see the rows it refused or noted</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="306" />
        <source>导出拒收行报告（CSV）…</source>
        <translation>Export refused rows (CSV)…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="356" />
        <source>尚未导入数据 — 点击“导入数据文件夹…” (Alt+I)，选择医院提供的数据文件夹；字段名不同时用“导入助手”</source>
        <translation>No data imported yet — click "Import a data folder…" (Alt+I) and choose the folder the hospital gave you; use the import assistant when the field names differ</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="409" />
        <source>此批次没有拒收或待核对的行</source>
        <translation>This batch refused or noted no rows</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="411" />
        <source>拒收 %1 行</source>
        <translation>%1 rows refused</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="413" />
        <source>；已导入但待核对 %1 类，涉及 %2 行（每类列出至多 20 例）</source>
        <translation>; imported but to check: %1 kinds, %2 rows (up to 20 examples each)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="427" />
        <location filename="../../src/feijian/gui/pages/data_page.py" line="435" />
        <source>导出拒收行报告</source>
        <translation>Export refused rows</translation>
    </message>
    <message>
        <source>导入数据文件夹…</source>
        <translation>Import data folder…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="283" />
        <source>导入助手（字段映射）…</source>
        <translation>Import assistant (column mapping)…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="284" />
        <source>运行筛查</source>
        <translation>Run screening</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="295" />
        <source>导入批次（文件哈希与行数核对）</source>
        <translation>Import batches (file hashes and row counts)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="321" />
        <source>数据浏览</source>
        <translation>Browse data</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="350" />
        <source>批次 %1 · 文件 %2</source>
        <translation>Batch %1 · file %2</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="352" />
        <source> · 最近筛查 %1：疑点 %2 条</source>
        <translation> · last screening %1: %2 hits</translation>
    </message>
    <message>
        <source>尚未导入数据 — 点击“导入数据文件夹…”，选择医院提供的数据文件夹；字段名不同时用“导入助手”</source>
        <translation>No data imported yet — click "Import data folder…" and choose the hospital's data folder; use the "Import assistant" when the column names differ</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="361" />
        <location filename="../../src/feijian/gui/pages/data_page.py" line="368" />
        <source>选择数据文件夹</source>
        <translation>Choose the data folder</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="380" />
        <source>导入数据</source>
        <translation>Import data</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="442" />
        <source>运行筛查规则</source>
        <translation>Run the screening rules</translation>
    </message>
</context>
<context>
    <name>DocumentPanel</name>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="107" />
        <source>病历文书　项目</source>
        <translation>Record documents　item</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="117" />
        <source>添加为用语…</source>
        <translation>Add as phrase…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="118" />
        <source>把选中的文字添加为该项目在本案件中的文书用语（记入日志，可撤销）</source>
        <translation>Add the selected text as this item's phrase in this case's documents (logged, can be undone)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="119" />
        <source>重新筛查</source>
        <translation>Screen again</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="140" />
        <source>原件</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>更正此行…</source>
        <translation>Correct this line…</translation>
    </message>
    <message>
        <source>更正识别有误的一行（记入日志，原识别结果保留）</source>
        <translation>Correct a misread line (logged; the original reading is kept)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="160" />
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="467" />
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="471" />
        <source>相近语句</source>
        <translation>Similar clauses</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="169" />
        <source>本次就诊没有导入病历文书（病历文书.csv 或文书索引）</source>
        <translation>No record documents imported for this encounter (病历文书.csv or a document index)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="211" />
        <source>不在院用语（R29）</source>
        <translation>Off-ward phrases (R29)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="276" />
        <source>知识库没有该项目的文书用语</source>
        <translation>The knowledge base has no document phrases for this item</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="278" />
        <source>用语：</source>
        <translation>Phrases: </translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="279" />
        <source>提及 %1 处</source>
        <translation>%1 mention(s)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="280" />
        <source>（否定 %1）</source>
        <translation> (%1 negated)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="329" />
        <source>第 %1 页</source>
        <translation>Page %1</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="366" />
        <source>识别 %1 行</source>
        <translation>%1 lines read</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="367" />
        <source>，低置信度 %1 行（橙色虚线框）</source>
        <translation>, %1 low-confidence lines (orange dashed boxes)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="368" />
        <source>，已更正 %1 行（绿框）</source>
        <translation>, %1 line(s) corrected (green boxes)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="369" />
        <source>；红框为所选项目的提及</source>
        <translation>; red boxes are mentions of the selected item</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="399" />
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="414" />
        <source>更正识别行</source>
        <translation>Correct recognised line</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="410" />
        <source>更正识别行“%1”</source>
        <translation>Correct recognised line “%1”</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="418" />
        <source>已更正识别行，请“重新筛查”</source>
        <translation>Line corrected; please “Rescreen”</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="470" />
        <source>相近语句（文书中没有该项目用语的提及）</source>
        <translation>Similar clauses (the documents never mention this item's phrases)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="497" />
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="501" />
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="511" />
        <source>添加用语</source>
        <translation>Add phrase</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="497" />
        <source>请先选择一个收费项目</source>
        <translation>Select a billed item first</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="502" />
        <source>项目 %1 在本院病历中的写法：</source>
        <translation>How item %1 is written in this hospital's records:</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="507" />
        <source>添加用语“%1”</source>
        <translation>Add phrase "%1"</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/document_panel.py" line="533" />
        <source>运行筛查规则</source>
        <translation>Run the screening rules</translation>
    </message>
</context>
<context>
    <name>DocumentsPage</name>
    <message>
        <location filename="../../src/feijian/gui/pages/documents_page.py" line="55" />
        <location filename="../../src/feijian/gui/pages/documents_page.py" line="125" />
        <source>生成文书</source>
        <translation>Render document</translation>
    </message>
    <message>
        <source>生成 PDF…</source>
        <translation>Render PDF…</translation>
    </message>
    <message>
        <source>生成后打开</source>
        <translation>Open after rendering</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/documents_page.py" line="64" />
        <source>生成 PDF(&amp;P)…</source>
        <translation>Print &amp;PDF…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/documents_page.py" line="65" />
        <source>生成后打开(&amp;A)</source>
        <translation>Open &amp;after printing</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/documents_page.py" line="67" />
        <source>生成的 PDF 是导出文件，含被检机构数据，请妥善保管。</source>
        <translation>The PDF is an export and holds the institution's data: keep it safe.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/documents_page.py" line="74" />
        <source>已出具的文书</source>
        <translation>Documents issued</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/documents_page.py" line="105" />
        <source>尚未出具文书 — 在左侧选择一种文书，点击“生成 PDF…” (Alt+P)；文号与哈希记入案件</source>
        <translation>No document issued yet — choose a document on the left and click "Print PDF…" (Alt+P); its number and hash are logged in the case</translation>
    </message>
    <message>
        <source>尚未出具文书 — 在左侧选择一种文书，点击“生成 PDF…”；文号与哈希记入案件</source>
        <translation>No document issued yet — choose a document on the left and click "Render PDF…"; its number and hash are recorded in the case</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/documents_page.py" line="120" />
        <source>保存文书</source>
        <translation>Save document</translation>
    </message>
</context>
<context>
    <name>DrawDialog</name>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="80" />
        <source>双随机抽查</source>
        <translation>Random draw</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="84" />
        <source>抽取范围与参数</source>
        <translation>Scope and parameters</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="87" />
        <source>机构名录 CSV/XLSX：机构编码、机构名称、类型、等级、地区、风险评分</source>
        <translation>Institution list CSV/XLSX: code, name, type, level, region, risk score</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="89" />
        <source>检查人员库 CSV/XLSX：身份、单位、地区、申报回避</source>
        <translation>Inspector pool CSV/XLSX: identity, unit, region, declared conflicts</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="90" />
        <location filename="../../src/feijian/gui/draw_dialog.py" line="91" />
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="92" />
        <location filename="../../src/feijian/gui/draw_dialog.py" line="96" />
        <source>机构名录</source>
        <translation>Institution list</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="93" />
        <location filename="../../src/feijian/gui/draw_dialog.py" line="99" />
        <source>检查人员库</source>
        <translation>Inspector pool</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="110" />
        <source>抽取机构数</source>
        <translation>Institutions to draw</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="112" />
        <source>每组人数</source>
        <translation>Team size</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="115" />
        <source>分层：</source>
        <translation>Stratify by:</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="116" />
        <source>机构类型</source>
        <translation>Institution type</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="116" />
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="116" />
        <source>地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="121" />
        <source>按风险评分加权</source>
        <translation>Weight by risk score</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="127" />
        <source>组织机关，如 某省医疗保障局</source>
        <translation>Organising authority, e.g. a provincial healthcare security bureau</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="130" />
        <source>签名承诺与抽查记录所用的医保局口令</source>
        <translation>The bureau's passphrase that signs the commitment and the draw record</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="134" />
        <source>医保局口令</source>
        <translation>Bureau passphrase</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="136" />
        <source>组织机关</source>
        <translation>Authority</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="137" />
        <source>保存到文件夹</source>
        <translation>Save to folder</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="142" />
        <source>抽取步骤</source>
        <translation>Steps</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="144" />
        <source>① 生成种子并承诺</source>
        <translation>① Make the seed and commit</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="145" />
        <source>载入已有承诺…</source>
        <translation>Load an earlier commitment…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="148" />
        <source>种子承诺值 SHA-256（抽取前公布）</source>
        <translation>Seed commitment SHA-256 (publish before the draw)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="150" />
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="152" />
        <source>第一步生成种子并签名承诺值；请在抽取前公布承诺值，种子保密至抽取时公开。</source>
        <translation>Step one makes the seed and signs its commitment; publish the commitment before the draw and keep the seed secret until the draw reveals it.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="154" />
        <source>② 公开种子并抽取</source>
        <translation>② Reveal the seed and draw</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="158" />
        <source>承诺值</source>
        <translation>Commitment</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="168" />
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="168" />
        <source>机构编码</source>
        <translation>Institution code</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="168" />
        <source>机构名称</source>
        <translation>Institution name</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="168" />
        <source>层</source>
        <translation>Stratum</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="169" />
        <source>权重</source>
        <translation>Weight</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="169" />
        <source>检查组（首位为组长）</source>
        <translation>Team (first is the leader)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="169" />
        <source>回避人数</source>
        <translation>Recused</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="180" />
        <source>选中一家机构，查看回避的检查人员及原因</source>
        <translation>Select an institution to see the recused inspectors and why</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="191" />
        <source>③ 核验记录</source>
        <translation>③ Verify the record</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="192" />
        <source>生成抽查记录 PDF…</source>
        <translation>Print the draw record PDF…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="193" />
        <source>为所选机构建案…</source>
        <translation>Open a case for the selected institution…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="194" />
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="221" />
        <source>表格 (*.csv *.xlsx *.xls *.txt);;所有文件 (*)</source>
        <translation>Tables (*.csv *.xlsx *.xls *.txt);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="234" />
        <source>机构</source>
        <translation>Institutions</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="235" />
        <source>检查人员</source>
        <translation>Inspectors</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="242" />
        <source>{0} {1} 条</source>
        <translation>{0}: {1} rows</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="245" />
        <source>无法读取 {0}：{1}</source>
        <translation>Cannot read {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="260" />
        <source>请选择机构名录和检查人员库</source>
        <translation>Choose the institution list and the inspector pool</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="265" />
        <source>请输入医保局口令</source>
        <translation>Enter the bureau's passphrase</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="285" />
        <location filename="../../src/feijian/gui/draw_dialog.py" line="287" />
        <location filename="../../src/feijian/gui/draw_dialog.py" line="289" />
        <source>生成种子并承诺</source>
        <translation>Make the seed and commit</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="293" />
        <source>承诺已签名保存：{0}（请公布此文件或上面的承诺值）；种子保存在 {1}，抽取前请保密。</source>
        <translation>Commitment signed and saved: {0} (publish this file or the commitment above); the seed is saved in {1}, keep it secret until the draw.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="298" />
        <source>载入承诺文件</source>
        <translation>Load a commitment file</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="298" />
        <source>承诺 (*.json)</source>
        <translation>Commitment (*.json)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="301" />
        <source>载入种子文件</source>
        <translation>Load the seed file</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="301" />
        <source>种子 (*.txt);;所有文件 (*)</source>
        <translation>Seed (*.txt);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="308" />
        <source>种子与承诺值不符</source>
        <translation>The seed does not match the commitment</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="310" />
        <source>载入承诺</source>
        <translation>Load commitment</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="313" />
        <source>已载入承诺：{0}</source>
        <translation>Commitment loaded: {0}</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="321" />
        <source>承诺值已生成，可在公布后进行第二步抽取。</source>
        <translation>The commitment is made; after publishing it, go on with step two.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="326" />
        <source>承诺值已复制到剪贴板。</source>
        <translation>Commitment copied to the clipboard.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="330" />
        <source>公开种子并抽取</source>
        <translation>Reveal the seed and draw</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="333" />
        <source>请先完成第一步：生成或载入承诺</source>
        <translation>Do step one first: make or load a commitment</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="355" />
        <source>（全部）</source>
        <translation>(all)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="371" />
        <source>已抽取 {0} 家机构，种子已公开：{1}。抽查记录已签名保存：{2}</source>
        <translation>{0} institutions drawn, seed revealed: {1}. The draw record is signed and saved: {2}</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="378" />
        <source>{0}：无回避人员</source>
        <translation>{0}: nobody recused</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="379" />
        <source>{0} 回避 {1} 人：</source>
        <translation>{0}: {1} recused:</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="395" />
        <location filename="../../src/feijian/gui/draw_dialog.py" line="412" />
        <source>核验抽查记录</source>
        <translation>Verify the draw record</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="399" />
        <source>尚无抽查记录</source>
        <translation>No draw record yet</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="407" />
        <source>核验通过：签名有效，种子与承诺值相符，输入文件的 SHA-256 相符，{0} 家机构重算结果一致。</source>
        <translation>Verified: the signature is valid, the seed matches the commitment, the input files' SHA-256 match, and the draw of {0} institutions recomputes identically.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="413" />
        <source>核验未通过：</source>
        <translation>Verification failed: </translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="420" />
        <location filename="../../src/feijian/gui/draw_dialog.py" line="428" />
        <source>生成抽查记录 PDF</source>
        <translation>Print the draw record PDF</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="422" />
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="430" />
        <source>已生成：{0}</source>
        <translation>Written: {0}</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="436" />
        <source>为抽中机构建案</source>
        <translation>Open a case for a drawn institution</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="440" />
        <source>案件名称</source>
        <translation>Case name</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="441" />
        <source>{0}-双随机抽查</source>
        <translation>{0} – random draw</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/draw_dialog.py" line="451" />
        <source>已为 {0} 建案：{1}</source>
        <translation>Case opened for {0}: {1}</translation>
    </message>
</context>
<context>
    <name>EvidencePage</name>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="54" />
        <source>添加文件…</source>
        <translation>Add file…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="55" />
        <source>新建询问笔录…</source>
        <translation>New interview record…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="56" />
        <source>新建现场检查笔录…</source>
        <translation>New on-site inspection record…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="59" />
        <source>关联到问题</source>
        <translation>Link to finding</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="60" />
        <source>也可把文件拖到此处</source>
        <translation>Or drop files here</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="65" />
        <source>问题</source>
        <translation>Finding</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="114" />
        <source>（不关联）</source>
        <translation>(not linked)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="121" />
        <source>尚无证据 — 点击“添加文件…”或把照片、扫描件拖到此处；询问与现场检查用“新建…笔录”</source>
        <translation>No evidence yet — click "Add file…" or drop photos and scans here; use "New … record" for interviews and on-site inspections</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="139" />
        <source>文件较大，不在此预览。</source>
        <translation>The file is large and is not previewed here.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="155" />
        <source>选择证据文件</source>
        <translation>Choose evidence files</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="160" />
        <source>加入证据</source>
        <translation>Add evidence</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="175" />
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="192" />
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/evidence_page.py" line="189" />
        <source>关联证据“%1”</source>
        <translation>Link evidence "%1"</translation>
    </message>
</context>
<context>
    <name>FieldsPicker</name>
    <message>
        <location filename="../../src/feijian/gui/pages/analysis_page.py" line="358" />
        <source>（不选）</source>
        <translation>(none)</translation>
    </message>
</context>
<context>
    <name>FindingsPage</name>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="60" />
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="61" />
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="62" />
        <source>删除问题</source>
        <translation>Delete finding</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="76" />
        <source>编辑问题</source>
        <translation>Edit finding</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="90" />
        <source>保存修改</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="91" />
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="92" />
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="93" />
        <source>法律依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="94" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="95" />
        <source>问题描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="96" />
        <source>疑点</source>
        <translation>Hits</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="97" />
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="127" />
        <source>问题 %1 个，金额合计 %2 元</source>
        <translation>%1 finding(s), %2 yuan in total</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="130" />
        <source>尚无问题 — 在“疑点”页核查疑点，按 C 确认，确认的疑点按规则归为问题 (Ctrl+3)</source>
        <translation>No findings yet — review the hits on the Hits page and press C to confirm; confirmed hits become findings by rule (Ctrl+3)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="164" />
        <source>%1 条已确认疑点</source>
        <translation>%1 confirmed hit(s)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="166" />
        <source>尚无证据（在“证据”页关联）</source>
        <translation>No evidence yet (link it on the Evidence page)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="175" />
        <source>（已删除的证据）</source>
        <translation>(deleted evidence)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="200" />
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="209" />
        <source>问题</source>
        <translation>Finding</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="200" />
        <source>金额不是数字 / the amount is not a number</source>
        <translation>The amount is not a number</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="206" />
        <source>修改问题“%1”</source>
        <translation>Edit finding "%1"</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/findings_page.py" line="220" />
        <source>删除问题“%1”</source>
        <translation>Delete finding "%1"</translation>
    </message>
</context>
<context>
    <name>HitsPage</name>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="419" />
        <source>尚无数据 — 先在“数据”页导入医院数据 (Ctrl+2)，再运行全部规则 (Ctrl+R)</source>
        <translation>No data yet — import the hospital's data on the Data page (Ctrl+2), then run all rules (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="421" />
        <source>尚未筛查 — 运行全部规则 (Ctrl+R)</source>
        <translation>Not screened yet — run all rules (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="422" />
        <source>筛查已完成，未发现疑点 — 可在“数据”页核对导入情况，或导入更多数据后重新筛查 (Ctrl+R)</source>
        <translation>Screening found no hits — check the import on the Data page, or import more data and screen again (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="446" />
        <source>核查理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="446" />
        <source>将 %1 条疑点标记为“%2”的理由：</source>
        <translation>Reason for marking %1 hit(s) “%2”:</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="452" />
        <source>将 %1 条疑点标记为“%2”</source>
        <translation>Mark %1 hit(s) “%2”</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="456" />
        <source>核查</source>
        <translation>Review</translation>
    </message>
</context>
<context>
    <name>HitsView</name>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="78" />
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="84" />
        <source>≥ </source>
        <translation>≥ </translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="85" />
        <source> 元</source>
        <translation> CNY</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="88" />
        <source>搜索就诊ID、项目、说明…</source>
        <translation>Search encounter, item, detail…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="103" />
        <source>核查理由（确认或排除时必填）</source>
        <translation>Reason (required to confirm or dismiss)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="106" />
        <source>确认 (C)</source>
        <translation>Confirm (C)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="107" />
        <source>排除 (D)</source>
        <translation>Dismiss (D)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="108" />
        <source>重新打开 (O)</source>
        <translation>Reopen (O)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="109" />
        <source>病历费用对照 (Enter)</source>
        <translation>Record vs billing (Enter)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="111" />
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="182" />
        <source>全部规则</source>
        <translation>All rules</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="183" />
        <source>全部科室</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="184" />
        <source>全部医生</source>
        <translation>All doctors</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="315" />
        <source>（未知）</source>
        <translation>(unknown)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="316" />
        <source>疑点</source>
        <translation>Hits</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="317" />
        <source>已确认</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="317" />
        <source>金额（元）</source>
        <translation>Amount (CNY)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/hits_page.py" line="330" />
        <source>显示 %1 / %2 条，金额 %3 元</source>
        <translation>Showing %1 / %2, amount %3 CNY</translation>
    </message>
</context>
<context>
    <name>ImportAssistant</name>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="35" />
        <source>导入助手 — </source>
        <translation>Import assistant — </translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="39" />
        <source>载入本机构的映射配置</source>
        <translation>Load this institution's mapping</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="40" />
        <source>保存为本机构的映射配置</source>
        <translation>Save as this institution's mapping</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="53" />
        <source>（自动识别）</source>
        <translation>(detect)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="57" />
        <source>文件中的列</source>
        <translation>Column in file</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="57" />
        <source>对应字段</source>
        <translation>Contract field</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="62" />
        <source>表</source>
        <translation>Table</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="66" />
        <source>前 20 行预览（未校验）</source>
        <translation>First 20 rows (not validated)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="73" />
        <source>按此映射导入</source>
        <translation>Import with this mapping</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="113" />
        <source>识别为表：%1　编码：%2　分隔符：%3</source>
        <translation>Table: %1　encoding: %2　delimiter: %3</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="115" />
        <source>　缺少必填字段：</source>
        <translation>　missing required fields: </translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="122" />
        <source>（保留为附加列）</source>
        <translation>(kept as an extra column)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="155" />
        <location filename="../../src/feijian/gui/import_assistant.py" line="167" />
        <source>导入助手</source>
        <translation>Import assistant</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="158" />
        <source>已载入 %1 张表的映射</source>
        <translation>Loaded the mapping of %1 table(s)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/import_assistant.py" line="169" />
        <source>已保存：</source>
        <translation>Saved: </translation>
    </message>
</context>
<context>
    <name>InstitutionPage</name>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="24" />
        <source>被检机构</source>
        <translation>Institution</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="25" />
        <source>填写被检定点医药机构的基本信息。</source>
        <translation>The inspected institution's basic details.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="28" />
        <source>例如：2026-某市人民医院</source>
        <translation>e.g. 2026 – City People's Hospital</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="36" />
        <source>医疗机构</source>
        <translation>Medical institution</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="37" />
        <source>零售药店</source>
        <translation>Retail pharmacy</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="38" />
        <source>案件名称</source>
        <translation>Case name</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="39" />
        <source>定点机构编码</source>
        <translation>Institution code</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="40" />
        <source>机构名称</source>
        <translation>Institution name</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="41" />
        <source>医院等级</source>
        <translation>Hospital level</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="42" />
        <source>机构类型</source>
        <translation>Institution type</translation>
    </message>
</context>
<context>
    <name>LineCorrectionDialog</name>
    <message>
        <location filename="../../src/feijian/gui/line_correction_dialog.py" line="22" />
        <source>更正识别行</source>
        <translation>Correct recognised line</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/line_correction_dialog.py" line="36" />
        <source>原件上的这一行：</source>
        <translation>This line on the original:</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/line_correction_dialog.py" line="38" />
        <source>识别结果（置信度 %1）：</source>
        <translation>Recognised text (confidence %1):</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/line_correction_dialog.py" line="39" />
        <source>识别结果（已由检查人员更正）：</source>
        <translation>Recognised text (corrected by an inspector):</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/line_correction_dialog.py" line="45" />
        <source>按原件更正为（不改动即为确认识别无误）：</source>
        <translation>Correct it to match the original (leave unchanged to confirm the reading):</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/line_correction_dialog.py" line="49" />
        <source>更正记入案件日志，可撤销；原识别结果保留。保存后请“重新筛查”，规则才会采用更正后的文字。</source>
        <translation>The correction is logged in the case and can be undone; the original reading is kept. After saving, “Rescreen” so the rules use the corrected text.</translation>
    </message>
</context>
<context>
    <name>NewCaseWizard</name>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="124" />
        <source>新建案件</source>
        <translation>New case</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="132" />
        <source>创建案件</source>
        <translation>Create case</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="85" />
        <source>数据期间：</source>
        <translation>Data period: </translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="85" />
        <source>检查缘由：</source>
        <translation>Trigger: </translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="53" />
        <source>案件阶段</source>
        <translation>Stage</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="54" />
        <source>疑点</source>
        <translation>Hits</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="55" />
        <source>已确认金额（元）</source>
        <translation>Confirmed amount (CNY)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="56" />
        <source>问题</source>
        <translation>Findings</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="57" />
        <source>已导入费用明细</source>
        <translation>Fee lines imported</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="58" />
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="63" />
        <source>疑点按规则（条数）</source>
        <translation>Hits by rule (count)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="64" />
        <source>疑点金额按科室（元）</source>
        <translation>Hit amount by department (CNY)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="68" />
        <source>疑点金额按月份（元）</source>
        <translation>Hit amount by month (CNY)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="89" />
        <source>待核查 %1 · 已确认 %2 · 已排除 %3</source>
        <translation>%1 open · %2 confirmed · %3 dismissed</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="91" />
        <source>疑点总金额 </source>
        <translation>Total hit amount </translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="92" />
        <source>问题金额 </source>
        <translation>Findings amount </translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="93" />
        <source>就诊 %1 · 医嘱 %2</source>
        <translation>%1 encounters · %2 orders</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="110" />
        <source>（据导入数据）</source>
        <translation>(from the imported data)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="115" />
        <source>第一步：导入医院数据 — 转到“数据”页 (Ctrl+2)，点击“导入数据文件夹…”</source>
        <translation>First step: import the hospital's data — go to the Data page (Ctrl+2) and click "Import data folder…"</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/overview.py" line="117" />
        <source>数据已导入，尚未筛查 — 运行全部规则 (Ctrl+R)</source>
        <translation>Data imported, not screened yet — run all rules (Ctrl+R)</translation>
    </message>
</context>
<context>
    <name>PageCanvas</name>
    <message>
        <location filename="../../src/feijian/gui/widgets/page_viewer.py" line="161" />
        <source>已更正，原识别：</source>
        <translation>Corrected; originally read:</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/widgets/page_viewer.py" line="163" />
        <source>双击或按 Enter 更正此行</source>
        <translation>Double-click or press Enter to correct this line</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <location filename="../../src/feijian/gui/tasks.py" line="247" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/tasks.py" line="271" />
        <source>正在取消，撤回已做的部分……</source>
        <translation>Cancelling, rolling back the partial work…</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>询问笔录</source>
        <translation>Interview record</translation>
    </message>
    <message>
        <source>现场检查笔录</source>
        <translation>On-site inspection record</translation>
    </message>
    <message>
        <source>询问开始时间</source>
        <translation>Interview started</translation>
    </message>
    <message>
        <source>询问结束时间</source>
        <translation>Interview ended</translation>
    </message>
    <message>
        <source>询问地点</source>
        <translation>Place of interview</translation>
    </message>
    <message>
        <source>询问人</source>
        <translation>Interviewers</translation>
    </message>
    <message>
        <source>记录人</source>
        <translation>Recorder</translation>
    </message>
    <message>
        <source>被询问人</source>
        <translation>Interviewee</translation>
    </message>
    <message>
        <source>告知内容</source>
        <translation>Notice given</translation>
    </message>
    <message>
        <source>是否申请回避</source>
        <translation>Recusal requested?</translation>
    </message>
    <message>
        <source>问答</source>
        <translation>Questions and answers</translation>
    </message>
    <message>
        <source>被询问人意见</source>
        <translation>Interviewee's statement</translation>
    </message>
    <message>
        <source>检查开始时间</source>
        <translation>Inspection started</translation>
    </message>
    <message>
        <source>检查结束时间</source>
        <translation>Inspection ended</translation>
    </message>
    <message>
        <source>检查地点</source>
        <translation>Place of inspection</translation>
    </message>
    <message>
        <source>检查人员</source>
        <translation>Inspectors</translation>
    </message>
    <message>
        <source>被检查单位在场人员</source>
        <translation>Institution staff present</translation>
    </message>
    <message>
        <source>检查情况</source>
        <translation>What was inspected</translation>
    </message>
    <message>
        <source>被检查单位意见</source>
        <translation>Institution's comments</translation>
    </message>
    <message>
        <source>拒绝签名情况</source>
        <translation>Refusal to sign</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>执法证号</source>
        <translation>Badge no.</translation>
    </message>
    <message>
        <source>职务</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>工作单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>添加一行</source>
        <translation>Add row</translation>
    </message>
    <message>
        <source>删除所选行</source>
        <translation>Delete selected rows</translation>
    </message>
    <message>
        <source>问：……
答：……
问：……
答：……</source>
        <translation>Q: …
A: …
Q: …
A: …</translation>
    </message>
    <message>
        <source>留空则使用标准告知（执法身份、回避权利、如实回答义务）</source>
        <translation>Leave empty for the standard notice (officers' identity, right to recusal, duty to answer truthfully)</translation>
    </message>
    <message>
        <source>不申请回避。</source>
        <translation>No recusal requested.</translation>
    </message>
    <message>
        <source>以上笔录我已看过（或已向我宣读过），与我所说一致。</source>
        <translation>I have read this record (or had it read to me); it matches what I said.</translation>
    </message>
</context>
<context>
    <name>RecordPage</name>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="137" />
        <source>就诊ID</source>
        <translation>Encounter ID</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="139" />
        <source>查看</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="142" />
        <source>采集纸质页面…</source>
        <translation>Capture paper pages…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="143" />
        <source>把纸质病历页面的照片或扫描件识别为本次就诊的病历文书（也可把照片拖到此页）</source>
        <translation>Read photos or scans of paper record pages as record documents of this encounter (or drop photos onto this page)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="149" />
        <source>就诊</source>
        <translation>Encounter</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="165" />
        <source>本次就诊的疑点</source>
        <translation>Hits of this encounter</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="173" />
        <source>核查理由（必填）</source>
        <translation>Reason (required)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="176" />
        <source>确认疑点</source>
        <translation>Confirm hit</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="178" />
        <source>排除疑点</source>
        <translation>Dismiss hit</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="179" />
        <source>重新打开</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="213" />
        <source>尚未选择就诊 — 在“疑点”页选中一条疑点按 Enter (Ctrl+3)，或在上方输入就诊ID</source>
        <translation>No encounter selected — select a hit on the Hits page and press Enter (Ctrl+3), or type an encounter ID above</translation>
    </message>
    <message>
        <source>在“疑点”页选择一条疑点，按 Enter 查看其病历与费用对照</source>
        <translation>Choose a hit on the Hits page and press Enter to see its record vs billing</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="257" />
        <source>没有这个就诊：</source>
        <translation>No such encounter: </translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="307" />
        <location filename="../../src/feijian/gui/pages/record_view.py" line="317" />
        <source>采集纸质页面</source>
        <translation>Capture paper pages</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="307" />
        <source>请先打开一个就诊</source>
        <translation>Open an encounter first</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="310" />
        <source>选择纸质页面的照片或扫描件</source>
        <translation>Choose photos or scans of paper pages</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="325" />
        <source>已采集文书，请“重新筛查”</source>
        <translation>Document captured; please “Rescreen”</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="481" />
        <source>核查理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="481" />
        <source>请填写核查理由：</source>
        <translation>Please give a reason:</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="485" />
        <source>将 1 条疑点标记为“%1”</source>
        <translation>Mark 1 hit “%1”</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/record_view.py" line="489" />
        <source>核查</source>
        <translation>Review</translation>
    </message>
</context>
<context>
    <name>ScopePage</name>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="51" />
        <source>检查范围与文书</source>
        <translation>Scope and documents</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="52" />
        <source>数据期间、检查缘由和文书编号前缀。</source>
        <translation>The data period, the reason for the inspection and the document number prefix.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="64" />
        <source>数据期间自</source>
        <translation>Data period from</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="65" />
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="66" />
        <source>检查缘由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="67" />
        <source>文书编号前缀</source>
        <translation>Document number prefix</translation>
    </message>
</context>
<context>
    <name>SelfInspectionMenu</name>
    <message>
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="16" />
        <source>自查自纠(&amp;S)</source>
        <translation>&amp;Self-inspection</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="17" />
        <source>导入自查包…</source>
        <translation>Import self-inspection package…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="20" />
        <source>自查比对…</source>
        <translation>Self-inspection comparison…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="29" />
        <source>尚未导入自查包。</source>
        <translation>No self-inspection package imported yet.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="30" />
        <source>自查已申报：{0} 条，金额 {1:,.2f} 元
自查未申报：{2} 条，金额 {3:,.2f} 元</source>
        <translation>Declared in the self-inspection: {0} hits, {1:,.2f} yuan
Not declared: {2} hits, {3:,.2f} yuan</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="33" />
        <source>申报但本案未发现：{0} 条</source>
        <translation>Declared but not found by this inspection: {0}</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="38" />
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="45" />
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="47" />
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="49" />
        <source>导入自查包</source>
        <translation>Import self-inspection package</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="38" />
        <source>自查包 (*.json)</source>
        <translation>Self-inspection package (*.json)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="50" />
        <source>已导入 {0} 的自查包（签名者 {1}，密钥 {2}）。</source>
        <translation>Imported the self-inspection package of {0} (signed by {1}, key {2}).</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/self_inspection_menu.py" line="57" />
        <source>自查比对</source>
        <translation>Self-inspection comparison</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>导出给组长…</source>
        <translation>Export for the team lead…</translation>
    </message>
    <message>
        <source>导出给医保局…</source>
        <translation>Export for the bureau…</translation>
    </message>
    <message>
        <source>校验数据包…</source>
        <translation>Verify package…</translation>
    </message>
    <message>
        <source>合并数据包…</source>
        <translation>Merge packages…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="44" />
        <source>导出给组长(&amp;L)…</source>
        <translation>Export for the team &amp;lead…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="45" />
        <source>导出给医保局(&amp;B)…</source>
        <translation>Export for the &amp;bureau…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="46" />
        <source>校验数据包(&amp;Y)…</source>
        <translation>Verif&amp;y a package…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="47" />
        <source>合并数据包(&amp;M)…</source>
        <translation>&amp;Merge packages…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="55" />
        <source>校验结果</source>
        <translation>Verification result</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="61" />
        <source>冲突（两人各自修改了同一字段，须由组长决定）</source>
        <translation>Conflicts (two people changed the same field; the team lead decides)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="64" />
        <source>对象</source>
        <translation>Object</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="64" />
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="64" />
        <source>一方</source>
        <translation>One side</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="64" />
        <source>另一方</source>
        <translation>Other side</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="68" />
        <source>采用一方</source>
        <translation>Take one side</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="69" />
        <source>采用另一方</source>
        <translation>Take the other side</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="111" />
        <source>尚未收发数据包 — 组员核查后“导出给组长…”；组长“校验数据包…”后“合并数据包…”</source>
        <translation>No packages yet — members "Export for the team lead…" after review; the lead "Verify package…", then "Merge packages…"</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="112" />
        <source>有 %1 处冲突，解决后才能导出。</source>
        <translation>%1 conflict(s): settle them before exporting.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="113" />
        <source>没有冲突。</source>
        <translation>No conflicts.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="122" />
        <source>解决冲突 %1</source>
        <translation>Settle conflict %1</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="124" />
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="131" />
        <source>保存数据包</source>
        <translation>Save package</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="146" />
        <source>导出数据包</source>
        <translation>Export package</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="148" />
        <source>已导出：</source>
        <translation>Exported: </translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="153" />
        <source>选择数据包</source>
        <translation>Choose a package</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="162" />
        <source>校验</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="162" />
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="187" />
        <source>尚未导入医保局信任列表（feijian trust import）</source>
        <translation>The bureau's trust list has not been imported (feijian trust import)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="170" />
        <source>通过</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="170" />
        <source>不通过</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="178" />
        <source>选择要合并的数据包</source>
        <translation>Choose the packages to merge</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="187" />
        <source>合并</source>
        <translation>Merge</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/sync_page.py" line="189" />
        <source>合并数据包</source>
        <translation>Merge packages</translation>
    </message>
</context>
<context>
    <name>TableBrowser</name>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="111" />
        <source>筛选值（包含）</source>
        <translation>Filter value (contains)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="163" />
        <location filename="../../src/feijian/gui/pages/data_page.py" line="267" />
        <source>源文件行号</source>
        <translation>Source line</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="191" />
        <source>筛选中……</source>
        <translation>Filtering…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="195" />
        <source>筛选</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="208" />
        <source>筛选中 %1/%2 块：%3</source>
        <translation>Filtering %1/%2 chunks: %3</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="234" />
        <source>/ %1 页，共 %2 行</source>
        <translation>/ %1 pages, %2 rows</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/pages/data_page.py" line="236" />
        <source>（共 %1 行匹配，显示前 %2 行）</source>
        <translation>(%1 rows match, showing the first %2)</translation>
    </message>
</context>
<context>
    <name>TeamPage</name>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="76" />
        <source>检查组</source>
        <translation>Team</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="77" />
        <source>检查组成员及其角色。组长负责合并各成员的数据包。</source>
        <translation>The team members and their roles. The team lead merges the members' packages.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="80" />
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="80" />
        <source>工号</source>
        <translation>Staff no.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="80" />
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="85" />
        <source>添加成员</source>
        <translation>Add member</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="86" />
        <source>删除所选</source>
        <translation>Delete selected</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="104" />
        <source>组员</source>
        <translation>Member</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/new_case_wizard.py" line="105" />
        <source>组长</source>
        <translation>Team lead</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../src/feijian/gui/transfer_dialog.py" line="18" />
        <source>移送</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/transfer_dialog.py" line="23" />
        <source>接收单位全称，如 某市公安局</source>
        <translation>Full name of the receiving authority, e.g. City Public Security Bureau</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/transfer_dialog.py" line="27" />
        <source>移送机关</source>
        <translation>Transferring authority</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/transfer_dialog.py" line="28" />
        <source>接收单位</source>
        <translation>Receiving authority</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="23" />
        <source>飞检工作台 — 新建身份</source>
        <translation>Workbench — new identity</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="23" />
        <source>飞检工作台 — 解锁</source>
        <translation>Workbench — unlock</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="32" />
        <source>检查组成员</source>
        <translation>Inspector</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="33" />
        <source>检查组组长</source>
        <translation>Team lead</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="40" />
        <source>首次使用：创建您的检查员身份（签名与加密密钥）。口令保护本机上的密钥，忘记口令只能由医保局恢复案件数据。</source>
        <translation>First run: create your inspector identity (signing and encryption keys). The passphrase protects the keys on this laptop; if you forget it, only the bureau can recover case data.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="42" />
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="43" />
        <source>工号 / 执法证号</source>
        <translation>Staff / badge number</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="44" />
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="45" />
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="51" />
        <source>口令</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="46" />
        <source>再次输入口令</source>
        <translation>Passphrase again</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="49" />
        <source>身份：%1（%2）  密钥指纹 %3</source>
        <translation>Identity: %1 (%2)  key fingerprint %3</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="64" />
        <source>创建身份</source>
        <translation>Create identity</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="64" />
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="91" />
        <source>口令至少 8 个字符 / at least 8 characters</source>
        <translation>The passphrase needs at least 8 characters</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/unlock_dialog.py" line="93" />
        <source>两次输入的口令不一致 / the passphrases differ</source>
        <translation>The passphrases differ</translation>
    </message>
</context>
<context>
    <name>Workbench</name>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="34" />
        <source>飞检工作台</source>
        <translation>Flight Inspection Workbench</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="43" />
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="44" />
        <source>新建案件…</source>
        <translation>New case…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="48" />
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="52" />
        <source>双随机抽查…</source>
        <translation>Random draw…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="55" />
        <source>医保局…</source>
        <translation>Bureau…</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="58" />
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="64" />
        <source>案件 — 快捷键</source>
        <translation>Case — keys</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="86" />
        <source>因长时间未操作已自动锁定，请重新输入口令。</source>
        <translation>Locked after a period of inactivity; enter your passphrase again.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="107" />
        <source>新建案件</source>
        <translation>New case</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="118" />
        <source>创建演示案件</source>
        <translation>Create demo case</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/main_window.py" line="154" />
        <source>打开案件</source>
        <translation>Open case</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../src/feijian/gui/error_dialog.py" line="53" />
        <source>意外错误</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/error_dialog.py" line="54" />
        <source>发生了意外错误。已做的决定都已保存；请把详细信息交给技术支持。
An unexpected error occurred; your decisions are saved.</source>
        <translation>An unexpected error occurred. Your decisions are saved; please pass the details to support.</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/app.py" line="96" />
        <source>飞检工作台</source>
        <translation>Flight Inspection Workbench</translation>
    </message>
</context>
<context>
    <name>charts</name>
    <message>
        <location filename="../../src/feijian/gui/widgets/charts.py" line="38" />
        <source>暂无数据</source>
        <translation>No data yet</translation>
    </message>
</context>
<context>
    <name>tasks</name>
    <message>
        <location filename="../../src/feijian/gui/tasks.py" line="140" />
        <source>后台进程出错，未完成（详情见日志）</source>
        <translation>The background process failed and did not finish (see the log)</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/tasks.py" line="181" />
        <source>后台进程意外退出，未完成的部分已撤回</source>
        <translation>The background process ended unexpectedly; the unfinished part was rolled back</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../src/feijian/gui/screenshots.py" line="169" />
        <source>疑点</source>
        <translation>Hits</translation>
    </message>
    <message>
        <location filename="../../src/feijian/gui/screenshots.py" line="169" />
        <source>快捷键</source>
        <translation>Keys</translation>
    </message>
</context>
</TS>