<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>AccessibilityHooks</name>
    <message>
        <source>Show samples of</source>
        <translation>표시할 샘플</translation>
    </message>
    <message>
        <source>Your samples</source>
        <translation>내 샘플</translation>
    </message>
    <message>
        <source>Model whose errors are shown</source>
        <translation>오류를 표시할 모델</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>순위표</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>시작점</translation>
    </message>
    <message>
        <source>Convolution layers</source>
        <translation>conv 단계</translation>
    </message>
    <message>
        <source>Fully connected layers</source>
        <translation>완전 연결 레이어</translation>
    </message>
    <message>
        <source>Input pixels</source>
        <translation>입력 픽셀</translation>
    </message>
    <message>
        <source>Layer outputs</source>
        <translation>레이어 출력</translation>
    </message>
    <message>
        <source>First layer&apos;s weights</source>
        <translation>첫 번째 레이어의 가중치</translation>
    </message>
    <message>
        <source>Incoming weights of the unit</source>
        <translation>유닛으로 들어오는 가중치</translation>
    </message>
    <message>
        <source>Reject curve</source>
        <translation>거부 곡선</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>혼동 행렬</translation>
    </message>
    <message>
        <source>Model of this column</source>
        <translation>이 열의 모델</translation>
    </message>
    <message>
        <source>Initialization of this column</source>
        <translation>이 열의 초기화</translation>
    </message>
    <message>
        <source>Ensemble member</source>
        <translation>ensemble 구성 모델</translation>
    </message>
    <message>
        <source>Race results</source>
        <translation>경주 결과</translation>
    </message>
    <message>
        <source>Learning rate of {0}</source>
        <translation>{0}의 learning rate</translation>
    </message>
    <message>
        <source>{0}, row {1}</source>
        <translation>{0}, {1}행</translation>
    </message>
    <message>
        <source>Drawing area; nothing read yet</source>
        <translation>그리기 영역, 아직 읽은 숫자 없음</translation>
    </message>
    <message>
        <source>Drawing area; current reading: {0}, {1}% sure</source>
        <translation>그리기 영역, 현재 읽은 숫자: {0}, 신뢰도 {1}%</translation>
    </message>
    <message numerus="yes">
        <source>Confusion matrix; selected: true {0} read as {1}, %n digit(s)</source>
        <translation>
            <numerusform>혼동 행렬, 선택: 실제 숫자 {0}, 읽은 숫자 {1}, 이미지 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Confusion matrix; selected: every true {0}, %n digit(s)</source>
        <translation>
            <numerusform>혼동 행렬, 선택: 실제 숫자 {0} 행 전체, 이미지 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Confusion matrix; selected: everything read as {0}, %n digit(s)</source>
        <translation>
            <numerusform>혼동 행렬, 선택: 읽은 숫자 {0} 열 전체, 이미지 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>Confusion matrix; rows: the true digit, columns: the digit read; no cell selected</source>
        <translation>혼동 행렬, 행: 실제 숫자, 열: 읽은 숫자, 선택한 칸 없음</translation>
    </message>
</context>
<context>
    <name>ActivationsPanel</name>
    <message>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <source>Read both</source>
        <translation>둘 다 읽기</translation>
    </message>
    <message>
        <source>Run 1,000 test digits through both models and show each layer&apos;s outputs and gradients</source>
        <translation>테스트 숫자 1,000개를 두 모델에 통과시켜 레이어마다 출력과 gradient를 보여 줍니다</translation>
    </message>
    <message>
        <source>Reading 1,000 test digits…</source>
        <translation>테스트 숫자 1,000개를 읽는 중…</translation>
    </message>
    <message>
        <source>Reading failed: {0}</source>
        <translation>읽기 실패: {0}</translation>
    </message>
    <message>
        <source>a model</source>
        <translation>모델</translation>
    </message>
</context>
<context>
    <name>AppearanceMenu</name>
    <message>
        <source>&amp;Appearance</source>
        <translation>화면 모양(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>시스템 설정 따르기(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>밝게(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>어둡게(&amp;D)</translation>
    </message>
</context>
<context>
    <name>CodeDialog</name>
    <message>
        <source>{0} as PyTorch code</source>
        <translation>{0}: PyTorch 코드</translation>
    </message>
    <message>
        <source>A standalone script (torch and safetensors only) that builds this network, loads {0} and reads one 28x28 image.</source>
        <translation>이 네트워크를 만들고, 가중치 파일 {0} 불러오기까지 한 뒤 28x28 이미지 하나를 읽는 독립 스크립트입니다 (torch와 safetensors만 사용).</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>저장…</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>복사됨</translation>
    </message>
    <message>
        <source>Save the script</source>
        <translation>스크립트 저장</translation>
    </message>
    <message>
        <source>Python scripts (*.py)</source>
        <translation>Python 스크립트 (*.py)</translation>
    </message>
    <message>
        <source>The script was not saved</source>
        <translation>스크립트를 저장하지 못했습니다</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>저장됨</translation>
    </message>
    <message>
        <source>No PyTorch code</source>
        <translation>PyTorch 코드 없음</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>ColourKey</name>
    <message>
        <source>negative</source>
        <translation>음수</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>양수</translation>
    </message>
    <message>
        <source>Each picture&apos;s own scale: the brightest blue is its most negative value, the brightest warm its most positive; black is zero</source>
        <translation>그림마다 자체 척도: 가장 밝은 파랑이 가장 작은 음수, 가장 밝은 주황이 가장 큰 양수, 검정은 0입니다</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixView</name>
    <message>
        <source>read as →</source>
        <translation>읽은 숫자 →</translation>
    </message>
    <message>
        <source>true digit →</source>
        <translation>실제 숫자 →</translation>
    </message>
</context>
<context>
    <name>DigitPreview</name>
    <message>
        <source>What the model sees: your drawing normalized to MNIST&apos;s 28x28 pixels</source>
        <translation>모델이 보는 것: MNIST의 28x28 픽셀로 정규화한 내 그림</translation>
    </message>
</context>
<context>
    <name>DrawView</name>
    <message>
        <source>True label: {0}</source>
        <translation>실제 정답: {0}</translation>
    </message>
    <message>
        <source>One digit is expected: this looks like several side by side. Draw one digit at a time.</source>
        <translation>숫자는 하나만 그려야 합니다. 여러 숫자가 나란히 있는 것 같습니다. 한 번에 숫자 하나씩 그려 보세요.</translation>
    </message>
    <message>
        <source>A small mark away from the digit is left out of the reading.</source>
        <translation>숫자에서 멀리 떨어진 작은 점이나 획은 빼고 읽었습니다.</translation>
    </message>
    <message>
        <source>Read from the picture ({0}) and the strokes ({1}) together.</source>
        <translation>그림({0})과 획({1})을 함께 읽었습니다.</translation>
    </message>
    <message>
        <source>Read from the picture alone: {0}.</source>
        <translation>그림만으로 읽었습니다: {0}.</translation>
    </message>
    <message>
        <source>The models could not be loaded: {0}. Drawing still works; the details are in the log.</source>
        <translation>모델을 불러오지 못했습니다: {0}. 그리기는 계속할 수 있고, 자세한 내용은 로그에 있습니다.</translation>
    </message>
    <message>
        <source>Loading {0}… Draw away: your drawing is read as soon as it is ready.</source>
        <translation>{0} 불러오는 중… 계속 그리세요. 준비되는 대로 그림을 읽습니다.</translation>
    </message>
    <message>
        <source>No model could be loaded: pick another in the model list.</source>
        <translation>불러올 수 있는 모델이 없습니다. 모델 목록에서 다른 모델을 고르세요.</translation>
    </message>
    <message>
        <source>No saved models were found. Train one (mnistpad train xavier) or open a model file (Ctrl+Shift+O).</source>
        <translation>저장된 모델이 없습니다. 모델을 학습시키거나(mnistpad train xavier) 모델 파일을 여세요 (Ctrl+Shift+O).</translation>
    </message>
    <message>
        <source>Draw a digit on the canvas.</source>
        <translation>캔버스에 숫자를 그리세요.</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <source>cannot be loaded</source>
        <translation>불러올 수 없음</translation>
    </message>
</context>
<context>
    <name>DrawingCanvas</name>
    <message>
        <source>Drawing canvas</source>
        <translation>그리기 캔버스</translation>
    </message>
    <message>
        <source>Draw a digit here with the mouse or a stylus</source>
        <translation>마우스나 펜으로 여기에 숫자를 그리세요</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>여기에 숫자를 그리세요</translation>
    </message>
</context>
<context>
    <name>DrillBanner</name>
    <message>
        <source>Next</source>
        <translation>다음</translation>
    </message>
    <message>
        <source>Keep this drawing and go on (Enter)</source>
        <translation>이 그림을 저장하고 계속 (Enter)</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>건너뛰기</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
</context>
<context>
    <name>EvaluatePanel</name>
    <message>
        <source>MNIST test</source>
        <translation>MNIST 테스트 세트</translation>
    </message>
    <message>
        <source>Drawn digits of writers 25-30</source>
        <translation>25~30번 필기자의 손글씨 숫자</translation>
    </message>
    <message>
        <source>Your own samples</source>
        <translation>내 샘플</translation>
    </message>
    <message>
        <source>(no second model)</source>
        <translation>(두 번째 모델 없음)</translation>
    </message>
    <message>
        <source>{0} — {1}</source>
        <translation>{0} — {1}</translation>
    </message>
    <message>
        <source>Loading the models…</source>
        <translation>모델을 불러오는 중…</translation>
    </message>
    <message>
        <source>No saved models to evaluate yet: train one on the Train tab.</source>
        <translation>아직 평가할 저장된 모델이 없습니다. 학습 탭에서 하나 학습시키세요.</translation>
    </message>
    <message>
        <source>No data set can be read: {0}</source>
        <translation>읽을 수 있는 데이터 세트가 없습니다: {0}</translation>
    </message>
    <message>
        <source>Choose a model and a data set.</source>
        <translation>모델과 데이터 세트를 고르세요.</translation>
    </message>
    <message>
        <source>Reading %p%</source>
        <translation>읽는 중 %p%</translation>
    </message>
    <message>
        <source>Evaluating {0} on {1}…</source>
        <translation>{0} 평가 중 ({1})…</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>모델:</translation>
    </message>
    <message>
        <source>Data set:</source>
        <translation>데이터 세트:</translation>
    </message>
    <message>
        <source>Compare with:</source>
        <translation>비교 대상:</translation>
    </message>
    <message>
        <source>The model to evaluate</source>
        <translation>평가할 모델</translation>
    </message>
    <message>
        <source>The data set to read</source>
        <translation>읽을 데이터 세트</translation>
    </message>
    <message>
        <source>A second model: the matrix then shows where the two disagree</source>
        <translation>두 번째 모델: 행렬이 두 모델의 판단이 다른 곳을 보여 줍니다</translation>
    </message>
    <message>
        <source>Evaluate the model on the data set (F5)</source>
        <translation>데이터 세트로 모델을 평가합니다 (F5)</translation>
    </message>
    <message>
        <source>Stop the evaluation (Ctrl+.)</source>
        <translation>평가를 중지합니다 (Ctrl+.)</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Evaluation cancelled.</source>
        <translation>평가를 취소했습니다.</translation>
    </message>
    <message>
        <source>Cannot evaluate: {0}</source>
        <translation>평가할 수 없습니다: {0}</translation>
    </message>
</context>
<context>
    <name>EvaluateSummary</name>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; on {1}: accuracy &lt;b&gt;{2:.2f}%&lt;/b&gt; ({3:,} / {4:,}). Mean confidence {5} when right, {6} when wrong. Confident errors (wrong with probability above {7:.0%}): &lt;b&gt;{8}&lt;/b&gt;.</source>
        <translation>{1}에서 &lt;b&gt;{0}&lt;/b&gt;: 정확도 &lt;b&gt;{2:.2f}%&lt;/b&gt; ({3:,} / {4:,}). 평균 신뢰도: 맞을 때 {5}, 틀릴 때 {6}. 확신한 오류(확률 {7:.0%} 이상인데 틀림): &lt;b&gt;{8}&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>{0} right where {1} is wrong: &lt;b&gt;{2}&lt;/b&gt;; the reverse: &lt;b&gt;{3}&lt;/b&gt;; both wrong: {4}.</source>
        <translation>{1} 오답·{0} 정답: &lt;b&gt;{2}&lt;/b&gt;, 그 반대: &lt;b&gt;{3}&lt;/b&gt;, 둘 다 오답: {4}.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; read the pictures alone: {1} has no strokes. On the canvas it reads your strokes too.</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;: 그림만으로 읽었습니다. {1}에는 획 정보가 없습니다. 캔버스에서는 직접 그린 획도 함께 읽습니다.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; read the pictures alone: {1}.</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;: 그림만으로 읽었습니다. {1}.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; reads each drawing from its picture and its strokes, combined as {1}: the picture alone &lt;b&gt;{2:.2f}%&lt;/b&gt;, the strokes alone &lt;b&gt;{3:.2f}%&lt;/b&gt;, together &lt;b&gt;{4:.2f}%&lt;/b&gt;.</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;: 그림과 획을 {1}으로 결합해 읽습니다. 그림만 &lt;b&gt;{2:.2f}%&lt;/b&gt;, 획만 &lt;b&gt;{3:.2f}%&lt;/b&gt;, 결합 &lt;b&gt;{4:.2f}%&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>{0} drawings had no strokes to read: their pictures alone were read.</source>
        <translation>획 정보가 없는 그림 {0}개는 그림만으로 읽었습니다.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0} was fine-tuned on some of these samples&lt;/b&gt;: its figures here overstate how it reads new drawings.</source>
        <translation>&lt;b&gt;{0}: 이 샘플 중 일부로 fine-tuning한 모델&lt;/b&gt;: 여기 나온 수치는 새 그림을 읽는 실력보다 높게 나옵니다.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0} was fine-tuned on {1} of these {2} samples&lt;/b&gt;: its figures here overstate how it reads new drawings.</source>
        <translation>&lt;b&gt;{0}: 이 샘플 {2}개 중 {1}개로 fine-tuning한 모델&lt;/b&gt;: 여기 나온 수치는 새 그림을 읽는 실력보다 높게 나옵니다.</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>Cannot open image</source>
        <translation>이미지를 열 수 없습니다</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>열었습니다: {0}</translation>
    </message>
    <message>
        <source>Cannot open model</source>
        <translation>모델을 열 수 없습니다</translation>
    </message>
    <message>
        <source>{0}

The current model stays.</source>
        <translation>{0}

현재 모델을 그대로 씁니다.</translation>
    </message>
    <message>
        <source>Open image</source>
        <translation>이미지 열기</translation>
    </message>
    <message>
        <source>Images ({0})</source>
        <translation>이미지 ({0})</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>모델 열기</translation>
    </message>
    <message>
        <source>mnistpad models (*{0})</source>
        <translation>mnistpad 모델 (*{0})</translation>
    </message>
    <message>
        <source>Save drawing</source>
        <translation>그림 저장</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>{0}에 저장했습니다</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>저장할 수 없습니다</translation>
    </message>
</context>
<context>
    <name>FolderActions</name>
    <message>
        <source>Open &amp;Data Folder</source>
        <translation>데이터 폴더 열기(&amp;D)</translation>
    </message>
    <message>
        <source>Show the folder with your models, samples and settings</source>
        <translation>내 모델, 샘플, 설정이 있는 폴더를 엽니다</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>로그 폴더 열기(&amp;L)</translation>
    </message>
    <message>
        <source>Show the folder with mnistpad&apos;s log, for a bug report</source>
        <translation>버그 보고에 쓸 mnistpad 로그가 있는 폴더를 엽니다</translation>
    </message>
</context>
<context>
    <name>GalleryModel</name>
    <message>
        <source>read as {0} with {1:.1f}%</source>
        <translation>판단: {0} (신뢰도 {1:.1f}%)</translation>
    </message>
    <message>
        <source>Image {0}: a {1}, {2}. Double-click to draw it.</source>
        <translation>이미지 {0}: {1}, {2}. 두 번 누르면 캔버스에 올라갑니다.</translation>
    </message>
</context>
<context>
    <name>InsidePanel</name>
    <message>
        <source>Inside the Model</source>
        <translation>모델 들여다보기</translation>
    </message>
    <message>
        <source>gradient × input</source>
        <translation>gradient × input</translation>
    </message>
    <message>
        <source>occlusion</source>
        <translation>occlusion</translation>
    </message>
    <message>
        <source>How the saliency map is computed (dropout off)</source>
        <translation>saliency map 계산 방법 (dropout 끔)</translation>
    </message>
    <message>
        <source>the digit read</source>
        <translation>읽은 숫자</translation>
    </message>
    <message>
        <source>Which pixels push the reading towards this digit</source>
        <translation>어떤 픽셀이 이 숫자 쪽으로 판단을 미는지</translation>
    </message>
    <message>
        <source>Which member of the ensemble to look inside</source>
        <translation>들여다볼 ensemble 구성 모델</translation>
    </message>
    <message>
        <source>Why: </source>
        <translation>이유: </translation>
    </message>
    <message>
        <source>Ensemble member shown: </source>
        <translation>보이는 ensemble 구성 모델: </translation>
    </message>
    <message>
        <source>…and as the 784 numbers an MLP reads, row by row:</source>
        <translation>…그리고 MLP가 읽는 784개의 숫자로, 한 행씩:</translation>
    </message>
    <message>
        <source>Click a unit or a channel to see its incoming weights.</source>
        <translation>유닛이나 채널을 누르면 입력 가중치가 보입니다.</translation>
    </message>
    <message>
        <source>The input as the model gets it, with the saliency map</source>
        <translation>모델이 받는 입력과 saliency map</translation>
    </message>
    <message>
        <source>Layers, in order</source>
        <translation>레이어 (순서대로)</translation>
    </message>
    <message>
        <source>Output: logits and softmax probabilities</source>
        <translation>출력: logit과 softmax 확률</translation>
    </message>
    <message>
        <source>Incoming weights</source>
        <translation>입력 가중치</translation>
    </message>
    <message>
        <source>No model.</source>
        <translation>모델이 없습니다.</translation>
    </message>
    <message>
        <source>Draw a digit to see {0} read it, layer by layer.</source>
        <translation>숫자를 그리면 {0} 모델이 레이어마다 어떻게 읽는지 보입니다.</translation>
    </message>
    <message>
        <source>{0}. Flatten: the maps above as {1} numbers</source>
        <translation>{0}. Flatten: 위의 맵을 {1}개의 숫자로</translation>
    </message>
    <message>
        <source>{0}. {1} ({2}); dark red: what dropout would drop while training</source>
        <translation>{0}. {1} ({2}); 진한 빨강: 학습 중이라면 dropout이 버릴 유닛</translation>
    </message>
    <message>
        <source>{0}. {1} ({2})</source>
        <translation>{0}. {1} ({2})</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <source>Towards: </source>
        <translation>대상 숫자: </translation>
    </message>
    <message>
        <source>{0} reads {1} ({2:.1f}%).</source>
        <translation>{0}의 판단: {1} (신뢰도 {2:.1f}%).</translation>
    </message>
    <message>
        <source>{0}: {1} ({2:.0f}%)</source>
        <translation>{0}: {1} ({2:.0f}%)</translation>
    </message>
    <message>
        <source>Members: {0}. The ensemble averages their probabilities.</source>
        <translation>구성 모델: {0}. ensemble은 이들의 확률을 평균합니다.</translation>
    </message>
    <message>
        <source>That is its picture&apos;s reading, layer by layer below; with the strokes it reads {0}.</source>
        <translation>이것은 그림만 읽은 결과이며, 아래에 층별로 보입니다. 획까지 함께 읽으면 판단은 {0}입니다.</translation>
    </message>
    <message>
        <source>logit</source>
        <translation>logit</translation>
    </message>
    <message>
        <source>softmax</source>
        <translation>softmax</translation>
    </message>
    <message>
        <source>Layer {0} ({1}), unit {2}: {3:.4f}</source>
        <translation>레이어 {0} ({1}), 유닛 {2}: {3:.4f}</translation>
    </message>
    <message>
        <source>Layer {0} ({1}), channel {2} at row {3}, column {4}: {5:.4f}</source>
        <translation>레이어 {0} ({1}), 채널 {2}, {3}행 {4}열: {5:.4f}</translation>
    </message>
    <message>
        <source>Dropout would drop this one while training.</source>
        <translation>학습 중이라면 dropout이 이 유닛을 버립니다.</translation>
    </message>
    <message>
        <source>Click for its incoming weights.</source>
        <translation>누르면 입력 가중치가 보입니다.</translation>
    </message>
    <message>
        <source>Input {0} = pixel at row {1}, column {2}: {3:.3f}</source>
        <translation>입력 {0} = {1}행 {2}열의 픽셀: {3:.3f}</translation>
    </message>
    <message>
        <source>Pixel at row {0}, column {1}: ink {2:.3f}</source>
        <translation>{0}행 {1}열의 픽셀: 잉크 {2:.3f}</translation>
    </message>
    <message>
        <source>Saliency towards {0}: {1:+.4f}</source>
        <translation>{0} 쪽 saliency: {1:+.4f}</translation>
    </message>
    <message>
        <source>Weights: the first convolution&apos;s 3x3 filters</source>
        <translation>가중치: 첫 합성곱 레이어의 3x3 필터</translation>
    </message>
    <message>
        <source>Weights: softmax&apos;s ten templates, digits 0-9 (warm: ink here raises the digit&apos;s score, blue: lowers it)</source>
        <translation>가중치: softmax의 템플릿 10개, 숫자 0-9 (따뜻한 색: 여기 잉크가 있으면 그 숫자의 점수가 오름, 파랑: 내려감)</translation>
    </message>
    <message>
        <source>Weights: the first layer&apos;s {0} strongest units of {1}, each as a 28x28 image</source>
        <translation>가중치: 첫 레이어 유닛 {1}개 중 가장 강한 {0}개, 각각 28x28 이미지로</translation>
    </message>
    <message>
        <source>filter {0}</source>
        <translation>필터 {0}</translation>
    </message>
    <message>
        <source>digit {0}</source>
        <translation>숫자 {0}</translation>
    </message>
    <message>
        <source>unit {0}</source>
        <translation>유닛 {0}</translation>
    </message>
    <message>
        <source>{0}: weight at row {1}, column {2}: {3:+.4f}</source>
        <translation>{0}: {1}행 {2}열의 가중치: {3:+.4f}</translation>
    </message>
    <message>
        <source>Layer {0} has no weights of its own.</source>
        <translation>레이어 {0}에는 자체 가중치가 없습니다.</translation>
    </message>
    <message>
        <source>Unit {0} of layer {1} ({2}) reads its input with these weights (shape {3}).</source>
        <translation>레이어 {1} ({2})의 유닛 {0}: 이 입력 가중치로 입력을 읽습니다 (shape {3}).</translation>
    </message>
    <message>
        <source>Weight {0} (row {1}, column {2}): {3:+.4f}</source>
        <translation>가중치 {0} ({1}행 {2}열): {3:+.4f}</translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <source>The worker thread stopped unexpectedly.</source>
        <translation>작업 스레드가 예기치 않게 멈췄습니다.</translation>
    </message>
</context>
<context>
    <name>LabSummary</name>
    <message>
        <source>softmax classifier, N(0,1) init</source>
        <translation>softmax 분류기, N(0,1) 초기화</translation>
    </message>
    <message>
        <source>3-layer ReLU net, N(0,1) init</source>
        <translation>3층 ReLU 신경망, N(0,1) 초기화</translation>
    </message>
    <message>
        <source>same net, Xavier init</source>
        <translation>같은 신경망, Xavier 초기화</translation>
    </message>
    <message>
        <source>5 layers of 512, Xavier</source>
        <translation>512개씩 5층, Xavier</translation>
    </message>
    <message>
        <source>deep net + dropout (keep_prob 0.7)</source>
        <translation>deep 신경망 + dropout (keep_prob 0.7)</translation>
    </message>
    <message>
        <source>dropout net + batch norm, lr 0.01</source>
        <translation>dropout 신경망 + BatchNorm, learning rate 0.01</translation>
    </message>
    <message>
        <source>2 conv layers + fc</source>
        <translation>합성곱 2층 + fc</translation>
    </message>
    <message>
        <source>3 conv layers + 2 fc, dropout</source>
        <translation>합성곱 3층 + fc 2층, dropout</translation>
    </message>
    <message>
        <source>3 deepcnns, augmented, cosine lr, averaged</source>
        <translation>deepcnn 3개, 데이터 증강, cosine learning rate, 평균</translation>
    </message>
    <message>
        <source>cnn-ensemble trained on MNIST + real pen-drawn digits</source>
        <translation>MNIST + 실제 펜 손글씨로 학습한 cnn-ensemble</translation>
    </message>
</context>
<context>
    <name>LabelRow</name>
    <message>
        <source>This is a:</source>
        <translation>이 숫자는:</translation>
    </message>
    <message>
        <source>Tell mnistpad what you drew (or press the digit key): the drawing is kept as one of your samples</source>
        <translation>무엇을 그렸는지 알려 주세요(또는 숫자 키를 누르세요). 그림은 내 샘플로 저장됩니다</translation>
    </message>
    <message>
        <source>Save this drawing as {a} {0} (key {0})</source>
        <translation>이 그림을 {0}{으로} 저장 (키 {0})</translation>
    </message>
</context>
<context>
    <name>Leaderboard</name>
    <message>
        <source>The lecture&apos;s exercise: push past {0}. Its table: {1}.</source>
        <translation>강의의 연습 문제: 정확도 {0} 넘기. 강의의 표: {1}.</translation>
    </message>
    <message>
        <source>Shipped models too</source>
        <translation>함께 배포된 모델도 보기</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Design</source>
        <translation>설계</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>파라미터 수</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochs</translation>
    </message>
    <message>
        <source>MNIST test accuracy</source>
        <translation>MNIST 테스트 정확도</translation>
    </message>
    <message>
        <source>Lecture mark reached</source>
        <translation>도달한 강의 기준</translation>
    </message>
    <message>
        <source>Show as PyTorch code</source>
        <translation>PyTorch 코드로 보기</translation>
    </message>
    <message>
        <source>(shipped)</source>
        <translation>(함께 배포됨)</translation>
    </message>
    <message>
        <source>{0} members of {1}</source>
        <translation>ensemble: 모델 {0}개, 각각 {1}</translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>점수 없음</translation>
    </message>
    <message>
        <source>below {0}</source>
        <translation>{0} 미만</translation>
    </message>
    <message>
        <source>{0} (lab {1}, {2})</source>
        <translation>{0} (lab {1}, {2})</translation>
    </message>
    <message>
        <source>past {0}: {1}</source>
        <translation>{0} 넘음: {1}</translation>
    </message>
    <message>
        <source>No runs of yours yet: train a lab model, or design one of your own.</source>
        <translation>아직 내 실행이 없습니다. 실습 모델을 학습하거나 직접 설계해 보세요.</translation>
    </message>
    <message>
        <source>Runs past {0}: {1}. The exercise is done.</source>
        <translation>{0} 넘은 실행: {1}개. 연습 문제를 해냈습니다.</translation>
    </message>
    <message>
        <source>No run past {0} yet; the best is {1} at {2}.</source>
        <translation>아직 {0} 넘은 실행이 없습니다. 최고 기록: {1}, {2}.</translation>
    </message>
    <message>
        <source>No run has a test accuracy yet: evaluate them on MNIST.</source>
        <translation>아직 테스트 정확도가 있는 실행이 없습니다. MNIST에서 평가해 보세요.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Draw</source>
        <translation>그리기(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>학습(&amp;T)</translation>
    </message>
    <message>
        <source>Draw Tab</source>
        <translation>그리기 탭</translation>
    </message>
    <message>
        <source>Train Tab</source>
        <translation>학습 탭</translation>
    </message>
    <message>
        <source>Ev&amp;aluate</source>
        <translation>평가(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Samples</source>
        <translation>샘플(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Your Net</source>
        <translation>내 신경망(&amp;Y)</translation>
    </message>
    <message>
        <source>Activat&amp;ions</source>
        <translation>활성값(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Optimizers</source>
        <translation>optimizer 비교(&amp;O)</translation>
    </message>
    <message>
        <source>Evaluate Tab</source>
        <translation>평가 탭</translation>
    </message>
    <message>
        <source>Samples Tab</source>
        <translation>샘플 탭</translation>
    </message>
    <message>
        <source>Your Net Tab</source>
        <translation>내 신경망 탭</translation>
    </message>
    <message>
        <source>Activations Tab</source>
        <translation>활성값 탭</translation>
    </message>
    <message>
        <source>Optimizers Tab</source>
        <translation>optimizer 비교 탭</translation>
    </message>
    <message>
        <source>Cannot open model</source>
        <translation>모델을 열 수 없습니다</translation>
    </message>
    <message>
        <source>The models could not be loaded: {0}</source>
        <translation>모델을 불러오지 못했습니다: {0}</translation>
    </message>
    <message numerus="yes">
        <source>Skipped %n model file(s) that cannot be read: {0}</source>
        <translation>
            <numerusform>읽을 수 없는 모델 파일 %n개를 건너뛰었습니다: {0}</numerusform>
        </translation>
    </message>
    <message>
        <source>Saved {0}; pick it in the model list or press &apos;Use result&apos;</source>
        <translation>{0}에 저장했습니다. 모델 목록에서 고르거나 &apos;결과 사용&apos;을 누르세요</translation>
    </message>
    <message>
        <source>Cannot use this model</source>
        <translation>이 모델을 쓸 수 없습니다</translation>
    </message>
</context>
<context>
    <name>ModelColumn</name>
    <message>
        <source>member {0}</source>
        <translation>멤버 {0}</translation>
    </message>
    <message>
        <source>{0}, untrained</source>
        <translation>{0}, 학습 전</translation>
    </message>
    <message>
        <source>Active model</source>
        <translation>현재 모델</translation>
    </message>
    <message>
        <source>N(0,1) init</source>
        <translation>N(0,1) 초기화</translation>
    </message>
    <message>
        <source>Xavier init</source>
        <translation>Xavier 초기화</translation>
    </message>
    <message>
        <source>He init</source>
        <translation>He 초기화</translation>
    </message>
    <message>
        <source>&lt;b&gt;Outputs&lt;/b&gt; (histogram)</source>
        <translation>&lt;b&gt;출력&lt;/b&gt; (히스토그램)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Gradients of the cost&lt;/b&gt; (histogram)</source>
        <translation>&lt;b&gt;cost의 gradient&lt;/b&gt; (히스토그램)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Layer {0}: {1}&lt;/b&gt;, {2} units</source>
        <translation>&lt;b&gt;레이어 {0}: {1}&lt;/b&gt;, 유닛 {2}개</translation>
    </message>
    <message>
        <source>No active model yet: load or train one, or pick a lab model.</source>
        <translation>아직 현재 모델이 없습니다. 모델을 불러오거나 학습하세요. 또는 실습 모델을 고르세요.</translation>
    </message>
    <message>
        <source>{0} digits of the MNIST test set</source>
        <translation>MNIST 테스트 세트의 숫자 {0}개</translation>
    </message>
    <message>
        <source>{0} test digits shipped with mnistpad</source>
        <translation>mnistpad에 포함된 테스트 숫자 {0}개</translation>
    </message>
    <message>
        <source>Training {0} (live): cost {1:.3g} on {2}; {3:.1f}% read right.</source>
        <translation>학습 중인 모델 {0} (실시간): cost {1:.3g}, 정확도 {3:.1f}%. 측정 데이터: {2}.</translation>
    </message>
    <message>
        <source>Starting cost {0:.3g} on {1}; {2:.1f}% read right.</source>
        <translation>시작 cost {0:.3g}, 정확도 {2:.1f}%. 측정 데이터: {1}.</translation>
    </message>
    <message>
        <source>No ReLU layers: dead units do not apply.</source>
        <translation>ReLU 레이어가 없어 죽은 유닛은 해당되지 않습니다.</translation>
    </message>
    <message>
        <source>mean {0:.3g}, std {1:.3g}, gradient std {2:.2e}</source>
        <translation>평균 {0:.3g}, 표준편차 {1:.3g}, gradient 표준편차 {2:.2e}</translation>
    </message>
    <message>
        <source>, dead units {0:.1f}%</source>
        <translation>, 죽은 유닛 {0:.1f}%</translation>
    </message>
    <message>
        <source>Outputs spread over about ±{0:.3g}: softmax is certain of one digit ({1:.0f}% on average), often the wrong one, so the first costs are huge.</source>
        <translation>출력 범위: 약 ±{0:.3g}. softmax가 한 숫자를 확신하지만(평균 신뢰도 {1:.0f}%) 자주 틀리기 때문에 처음 cost가 매우 큽니다.</translation>
    </message>
    <message>
        <source>Outputs spread over about ±{0:.3g}, far beyond 1: each layer multiplies the spread of the one before.</source>
        <translation>출력 범위: 약 ±{0:.3g}, 1보다 훨씬 넓습니다. 레이어를 지날 때마다 앞 레이어의 퍼짐이 곱해집니다.</translation>
    </message>
    <message>
        <source>Outputs close to zero (std {0:.2g}): the signal fades layer by layer, and the gradients with it.</source>
        <translation>출력이 0에 가깝습니다(표준편차 {0:.2g}). 레이어를 지날수록 신호가 약해지고 gradient도 함께 약해집니다.</translation>
    </message>
    <message>
        <source>{0:.0f}% of the units are zero for every digit: dead units pass nothing on and stop learning.</source>
        <translation>모든 숫자에서 0인 유닛: {0:.0f}%. 죽은 유닛은 아무것도 전달하지 않고 학습도 멈춥니다.</translation>
    </message>
    <message>
        <source>Outputs near 1 (std {0:.2g}): the signal passes on without blowing up or fading.</source>
        <translation>출력이 1 근처입니다(표준편차 {0:.2g}). 신호가 폭발하거나 사라지지 않고 전달됩니다.</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <source>The model that reads your drawing (lab, MNIST accuracy, accuracy on real drawn digits)</source>
        <translation>내 그림을 읽는 모델 (lab, MNIST 정확도, 실제 손글씨 숫자 정확도)</translation>
    </message>
    <message>
        <source>{0} (cannot be loaded)</source>
        <translation>{0} (불러올 수 없음)</translation>
    </message>
</context>
<context>
    <name>ModelStatus</name>
    <message>
        <source>No model</source>
        <translation>모델 없음</translation>
    </message>
    <message>
        <source>{0} · {1} parameters · CPU, dropout off</source>
        <translation>{0} · 파라미터 {1}개 · CPU, dropout 끔</translation>
    </message>
</context>
<context>
    <name>NetEditor</name>
    <message>
        <source>Start from</source>
        <translation>시작점</translation>
    </message>
    <message>
        <source>The active model&apos;s design</source>
        <translation>현재 모델의 설계</translation>
    </message>
    <message>
        <source>Convolution stages (none: a fully connected net)</source>
        <translation>conv 단계 (없으면 완전 연결 네트워크)</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>은닉 레이어</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>채널</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>커널</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>패딩</translation>
    </message>
    <message>
        <source>Max pool 2x2</source>
        <translation>최대 풀링 2x2</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>유닛 수</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>활성화 함수</translation>
    </message>
    <message>
        <source>Batch norm</source>
        <translation>Batch normalization</translation>
    </message>
    <message>
        <source>Add conv stage</source>
        <translation>conv 단계 추가</translation>
    </message>
    <message>
        <source>Add layer</source>
        <translation>레이어 추가</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>위로</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>아래로</translation>
    </message>
    <message>
        <source>Measure the epoch time</source>
        <translation>epoch 시간 재기</translation>
    </message>
    <message>
        <source>Time a few training batches of this design on this machine and scale them to an epoch</source>
        <translation>이 설계로 학습 batch 몇 개를 이 컴퓨터에서 재고 epoch 하나의 시간으로 환산합니다</translation>
    </message>
    <message>
        <source>Train this design</source>
        <translation>이 설계로 학습</translation>
    </message>
    <message>
        <source>Limits: up to {0} hidden layers of 1 to {1} units, up to {2} conv stages of 1 to {3} channels, at most {4} parameters</source>
        <translation>한도: 은닉 레이어 최대 {0}개 (각 유닛 1~{1}개), conv 단계 최대 {2}개 (각 채널 1~{3}개), 파라미터 최대 {4}개</translation>
    </message>
    <message>
        <source>Parameters: {0}</source>
        <translation>파라미터: {0}개</translation>
    </message>
    <message>
        <source>Shapes: {0}</source>
        <translation>shape: {0}</translation>
    </message>
    <message>
        <source>Recipe of {0}: {1}, learning rate {2}, batch size {3}, {4} epochs, init {5}</source>
        <translation>{0} 실습 모델의 설정: {1}, learning rate {2}, batch size {3}, {4} epochs, init {5}</translation>
    </message>
    <message>
        <source>Conv stage {0} shrinks the {1}x{1} image below 1 pixel: use &apos;same&apos; padding, a smaller kernel or fewer pools.</source>
        <translation>{0}번째 conv 단계에서 {1}x{1} 이미지가 1픽셀보다 작아집니다. &apos;same&apos; 패딩, 더 작은 커널, 더 적은 풀링 중 하나를 쓰세요.</translation>
    </message>
    <message>
        <source>Past the limits: this design cannot be trained here.</source>
        <translation>한도를 넘었으므로 이 설계로는 학습할 수 없습니다.</translation>
    </message>
    <message>
        <source>{1} hidden layers: at most {2}.</source>
        <translation>은닉 레이어 {1}개, 최대 {2}개입니다.</translation>
    </message>
    <message>
        <source>Hidden layer {0} has {1} units: at most {2}.</source>
        <translation>{0}번째 은닉 레이어: 유닛 {1}개, 최대 {2}개입니다.</translation>
    </message>
    <message>
        <source>{1} conv stages: at most {2}.</source>
        <translation>conv 단계 {1}개, 최대 {2}개입니다.</translation>
    </message>
    <message>
        <source>Conv stage {0} has {1} channels: at most {2}.</source>
        <translation>{0}번째 conv 단계: 채널 {1}개, 최대 {2}개입니다.</translation>
    </message>
    <message>
        <source>{1} parameters: at most {2}.</source>
        <translation>파라미터 {1}개, 최대 {2}개입니다.</translation>
    </message>
    <message>
        <source>The epoch time could not be measured: {0}</source>
        <translation>epoch 시간을 재지 못했습니다: {0}</translation>
    </message>
    <message>
        <source>About {0} s per epoch on this machine (measured: {1} batches, {2} s each)</source>
        <translation>이 컴퓨터에서 epoch마다 약 {0}초 (batch {1}개를 재어 각 {2}초)</translation>
    </message>
    <message>
        <source>Measuring the epoch time…</source>
        <translation>epoch 시간을 재는 중…</translation>
    </message>
</context>
<context>
    <name>PartsSection</name>
    <message>
        <source>Two readers: the picture and the strokes</source>
        <translation>두 가지 읽기: 그림과 획</translation>
    </message>
    <message>
        <source>Probabilities of the picture, of the strokes and of the two together</source>
        <translation>그림의 확률, 획의 확률, 둘을 결합한 확률</translation>
    </message>
    <message>
        <source>The strokes as the stroke reader gets them: 48 points spaced evenly along the pen&apos;s path, in the order drawn (green: the first). Red dashes: the pen in the air between strokes.</source>
        <translation>획 읽기 모델이 받는 획: 펜이 지나간 경로를 따라 같은 간격으로 놓은 48개의 점이며, 그린 순서대로 이어집니다(초록: 첫 점). 빨간 점선: 획과 획 사이에 펜을 든 구간.</translation>
    </message>
    <message>
        <source>What the stroke reader reads: 48 points along the pen&apos;s path, in order, with their direction and whether the pen was up (red dashes).</source>
        <translation>획 읽기 모델이 읽는 것: 펜의 경로를 따라 순서대로 놓인 48개의 점과 각 점의 방향, 펜을 들었는지 여부(빨간 점선).</translation>
    </message>
    <message>
        <source>Read from the picture alone: {0}.</source>
        <translation>그림만으로 읽었습니다: {0}.</translation>
    </message>
    <message>
        <source>Reads {0} ({1:.1f}%): the picture says {2} ({3:.1f}%), the strokes {4} ({5:.1f}%), combined as {6}.</source>
        <translation>판단: {0} ({1:.1f}%). 그림은 {2} ({3:.1f}%), 획은 {4} ({5:.1f}%)이며, 둘을 {6}으로 결합했습니다.</translation>
    </message>
</context>
<context>
    <name>PartsText</name>
    <message>
        <source>a picture has no strokes</source>
        <translation>그림에는 획 정보가 없습니다</translation>
    </message>
    <message>
        <source>the eraser changed the picture</source>
        <translation>지우개로 그림이 바뀌었습니다</translation>
    </message>
    <message>
        <source>the stroke reader could not be loaded</source>
        <translation>획 읽기 모델을 불러오지 못했습니다</translation>
    </message>
    <message>
        <source>the strokes say too little</source>
        <translation>획 정보가 너무 적습니다</translation>
    </message>
    <message>
        <source>a weighted mean of the log-probabilities: picture {0}, strokes {1}</source>
        <translation>로그 확률의 가중 평균(그림 {0}, 획 {1})</translation>
    </message>
    <message>
        <source>a weighted mean of the probabilities: picture {0}, strokes {1}</source>
        <translation>확률의 가중 평균(그림 {0}, 획 {1})</translation>
    </message>
    <message>
        <source>picture</source>
        <translation>그림</translation>
    </message>
    <message>
        <source>strokes</source>
        <translation>획</translation>
    </message>
    <message>
        <source>together</source>
        <translation>결합</translation>
    </message>
</context>
<context>
    <name>PersonalSummary</name>
    <message>
        <source>MNIST test set, {0} digits</source>
        <translation>MNIST 테스트 세트, 숫자 {0}개</translation>
    </message>
    <message>
        <source>the {0} MNIST digits that ship with mnistpad</source>
        <translation>mnistpad에 들어 있는 MNIST 숫자 {0}개</translation>
    </message>
    <message>
        <source>part of MNIST&apos;s test set, {0} digits</source>
        <translation>MNIST 테스트 세트의 일부, 숫자 {0}개</translation>
    </message>
    <message>
        <source>read {0} of {1} of your held-out digits before, {2} of {1} now</source>
        <translation>따로 떼어 둔 내 숫자 {1}개 중 전에는 {0}개, 지금은 {2}개를 바르게 읽음</translation>
    </message>
    <message>
        <source>no held-out figure: that needs two samples or more of at least {0} digits ({1} have them)</source>
        <translation>따로 떼어 둔 숫자로 잰 결과 없음: 적어도 숫자 {0}가지에 샘플이 두 개 이상씩 있어야 합니다 (지금 {1}가지)</translation>
    </message>
    <message>
        <source>read {0} of {1} of your held-out digits before, {2} of {1} now, from the picture and the strokes together</source>
        <translation>그림과 획을 함께 보고 따로 떼어 둔 내 숫자 {1}개 중 전에는 {0}개, 지금은 {2}개를 바르게 읽음</translation>
    </message>
    <message>
        <source>the stroke reader learned nothing: none of your samples has strokes (a picture from a file has none)</source>
        <translation>획 읽기 모델은 배운 것이 없음: 획이 담긴 샘플이 하나도 없음(파일에서 가져온 그림에는 획이 없음)</translation>
    </message>
    <message>
        <source>the stroke reader learned nothing: {0}</source>
        <translation>획 읽기 모델은 배운 것이 없음: {0}</translation>
    </message>
    <message>
        <source>the stroke reader learned from {0} drawings</source>
        <translation>획 읽기 모델이 그림 {0}개의 획으로 배움</translation>
    </message>
    <message>
        <source>read {0} of {1} of your held-out digits from the strokes before, {2} of {1} now</source>
        <translation>획만 보고 따로 떼어 둔 내 숫자 {1}개 중 전에는 {0}개, 지금은 {2}개를 바르게 읽음</translation>
    </message>
    <message>
        <source>other people&apos;s pen digits {0} -&gt; {1}</source>
        <translation>다른 사람들이 펜으로 쓴 숫자 {0} -&gt; {1}</translation>
    </message>
    <message>
        <source>MNIST {0} -&gt; {1} ({2})</source>
        <translation>MNIST {0} -&gt; {1} ({2})</translation>
    </message>
</context>
<context>
    <name>Playground</name>
    <message>
        <source>Long valley (Rosenbrock)</source>
        <translation>긴 골짜기 (Rosenbrock)</translation>
    </message>
    <message>
        <source>Saddle</source>
        <translation>안장점</translation>
    </message>
    <message>
        <source>Bowl with noisy gradients</source>
        <translation>gradient에 잡음이 섞인 그릇</translation>
    </message>
    <message>
        <source>Loss surface</source>
        <translation>cost 곡면</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>한 단계</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>처음으로</translation>
    </message>
    <message>
        <source>Click the surface to start every optimizer from there. A cross marks each minimum.</source>
        <translation>곡면을 클릭하면 모든 optimizer가 그 자리에서 출발합니다. × 표시는 최솟값입니다.</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>재생</translation>
    </message>
    <message>
        <source>step {0} of {1}</source>
        <translation>단계 {0} / {1}</translation>
    </message>
    <message>
        <source>left the surface at step {0}</source>
        <translation>곡면을 벗어남 (단계 {0})</translation>
    </message>
    <message>
        <source>loss {0}</source>
        <translation>cost {0}</translation>
    </message>
</context>
<context>
    <name>ProbabilityBars</name>
    <message>
        <source>The model&apos;s probability for each digit</source>
        <translation>숫자별 모델의 확률</translation>
    </message>
</context>
<context>
    <name>RacePanel</name>
    <message>
        <source>A race is running</source>
        <translation>경주가 진행 중입니다</translation>
    </message>
    <message>
        <source>The optimizers are racing ({0}% done); stopping now keeps nothing.</source>
        <translation>optimizer 경주가 진행 중입니다 ({0}% 완료). 지금 멈추면 아무것도 저장하지 않습니다.</translation>
    </message>
    <message>
        <source>Keep Racing</source>
        <translation>계속 경주</translation>
    </message>
    <message>
        <source>Stop and Quit</source>
        <translation>멈추고 끝내기</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>로그 눈금</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>실습 모델</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochs</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>tuned</source>
        <translation>조정값</translation>
    </message>
    <message>
        <source>A learning rate at which {0} learns well: {1}</source>
        <translation>잘 학습되는 learning rate ({0}): {1}</translation>
    </message>
    <message>
        <source>All at the lecture&apos;s {0}</source>
        <translation>모두 강의 값 {0}</translation>
    </message>
    <message>
        <source>All tuned</source>
        <translation>모두 조정값</translation>
    </message>
    <message>
        <source>Race</source>
        <translation>경주</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Keep as Model</source>
        <translation>모델로 저장</translation>
    </message>
    <message>
        <source>Save the selected optimizer&apos;s model to your models folder</source>
        <translation>선택한 optimizer의 모델을 내 모델 폴더에 저장합니다</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>Optimizer</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>learning rate</translation>
    </message>
    <message>
        <source>cost</source>
        <translation>cost</translation>
    </message>
    <message>
        <source>test accuracy</source>
        <translation>테스트 정확도</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>발산</translation>
    </message>
    <message>
        <source>Pick a variant and two to five optimizers, then press Race: they train from the same weights on the same batches, and their costs appear here side by side.</source>
        <translation>실습 모델 하나와 optimizer 2~5개를 고르고 경주를 누르세요. 모두 같은 가중치에서 출발해 같은 batch로 학습하며, 각 cost가 여기에 나란히 그려집니다.</translation>
    </message>
    <message>
        <source>Choose at least two optimizers to race.</source>
        <translation>경주하려면 optimizer를 두 개 이상 고르세요.</translation>
    </message>
    <message>
        <source>Racing {0} optimizers on {1}…</source>
        <translation>경주 중: optimizer {0}개, 실습 모델 {1}…</translation>
    </message>
    <message>
        <source>{0}, diverged at step {1}</source>
        <translation>{0}, 발산 (단계 {1})</translation>
    </message>
    <message>
        <source>The race took {0} s. Select an optimizer to keep its model.</source>
        <translation>경주 시간: {0}초. 모델을 저장하려면 optimizer를 선택하세요.</translation>
    </message>
    <message>
        <source>The race was cancelled; nothing was saved.</source>
        <translation>경주를 취소했습니다. 아무것도 저장하지 않았습니다.</translation>
    </message>
    <message>
        <source>The race failed: {0}</source>
        <translation>경주 실패: {0}</translation>
    </message>
    <message>
        <source>at step {0}</source>
        <translation>단계 {0}</translation>
    </message>
    <message>
        <source>Could not keep the model: {0}</source>
        <translation>모델을 저장할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Kept as {0}.</source>
        <translation>저장됨: {0}</translation>
    </message>
</context>
<context>
    <name>RaceTab</name>
    <message>
        <source>Race on MNIST</source>
        <translation>MNIST에서 경주</translation>
    </message>
    <message>
        <source>2-D playground</source>
        <translation>2차원 놀이터</translation>
    </message>
</context>
<context>
    <name>ReadingPanel</name>
    <message>
        <source>The digit the model reads</source>
        <translation>모델이 읽은 숫자</translation>
    </message>
    <message>
        <source>The lecture&apos;s warning: keep_prob must be 1 when testing. These are the active model&apos;s readings with dropout left on, as while training; mnistpad never classifies this way.</source>
        <translation>강의의 경고: 테스트할 때는 keep_prob가 반드시 1이어야 합니다. 아래는 학습 때처럼 dropout을 켠 채로 현재 모델이 읽은 결과이며, mnistpad는 이렇게 분류하지 않습니다.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Reads</source>
        <translation>판단</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>신뢰도</translation>
    </message>
    <message>
        <source>What every saved model reads in the same drawing. Red: disagrees with most models. Grey rows under a model: the parts it reads from, the picture and the strokes. Click a row to make that model read your drawing.</source>
        <translation>저장된 모든 모델이 같은 그림을 무엇으로 읽는지 보여 줍니다. 빨강: 대부분의 모델과 다름. 모델 아래의 회색 행: 그 모델이 함께 읽는 부분인 그림과 획. 행을 누르면 그 모델이 그림을 읽습니다.</translation>
    </message>
    <message>
        <source>What the model sees:</source>
        <translation>모델이 보는 것:</translation>
    </message>
    <message>
        <source>Every model on this drawing:</source>
        <translation>이 그림에 대한 모든 모델:</translation>
    </message>
    <message>
        <source>Reads {0} with {1}% confidence.</source>
        <translation>판단: {0} (신뢰도 {1}%)</translation>
    </message>
    <message>
        <source>Not sure: maybe {0} ({1}%) or {2} ({3}%). Try drawing it more clearly.</source>
        <translation>잘 모르겠습니다: {0} ({1}%) 또는 {2} ({3}%)일 수 있습니다. 더 또렷하게 그려 보세요.</translation>
    </message>
    <message>
        <source>Draw a digit to compare readings with dropout on and off.</source>
        <translation>숫자를 그리면 dropout을 켰을 때와 껐을 때의 판단을 비교합니다.</translation>
    </message>
    <message>
        <source>{0} has no dropout, so leaving it on changes nothing. Pick dropout, batchnorm, deepcnn or an ensemble to see the effect.</source>
        <translation>{0}에는 dropout이 없어서 켜 두어도 달라지는 것이 없습니다. 효과를 보려면 dropout, batchnorm, deepcnn 또는 ensemble을 고르세요.</translation>
    </message>
    <message>
        <source>With dropout left on, {0} tries: {1}. With dropout off, as mnistpad classifies: {2} ({3}%), the same every time.</source>
        <translation>dropout을 켜 두면 {0}번 시도: {1}. mnistpad처럼 dropout을 끄면: {2} ({3}%), 매번 같습니다.</translation>
    </message>
    <message>
        <source>picture alone: {0}</source>
        <translation>그림만: {0}</translation>
    </message>
</context>
<context>
    <name>RejectCurveView</name>
    <message>
        <source>confidence threshold</source>
        <translation>신뢰도 기준값</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>답한 비율</translation>
    </message>
    <message>
        <source>right, of those answered</source>
        <translation>답한 것의 정답률</translation>
    </message>
</context>
<context>
    <name>ResultsBrowser</name>
    <message>
        <source>Most confused pairs:</source>
        <translation>가장 많이 헷갈린 쌍:</translation>
    </message>
    <message>
        <source>Reject threshold:</source>
        <translation>판단 보류 기준:</translation>
    </message>
    <message>
        <source>Share of each true digit read right</source>
        <translation>실제 숫자별로 맞게 읽은 비율</translation>
    </message>
    <message>
        <source>Rows: true digit; columns: what the model read. Click a cell for its images, a header for all of that digit&apos;s errors.</source>
        <translation>행: 실제 숫자, 열: 모델이 읽은 숫자. 칸을 누르면 그 이미지들이, 머리글을 누르면 그 숫자의 모든 오류가 보입니다.</translation>
    </message>
    <message>
        <source>Show each row as percentages of the true digit instead of counts</source>
        <translation>각 행을 개수 대신 실제 숫자에 대한 백분율로 보여 줍니다</translation>
    </message>
    <message>
        <source>The most frequent errors; click one for its images</source>
        <translation>가장 자주 나오는 오류입니다. 누르면 그 이미지들이 보입니다</translation>
    </message>
    <message>
        <source>Most confident first. Double-click an image (or press Ctrl+Return) to put it on the Draw tab&apos;s canvas.</source>
        <translation>신뢰도가 높은 것부터 보입니다. 이미지를 두 번 누르면(또는 Ctrl+Return) 그리기 탭의 캔버스에 올라갑니다.</translation>
    </message>
    <message>
        <source>Put the chosen image on the Draw tab&apos;s canvas, where every model reads it (Ctrl+Return)</source>
        <translation>고른 이미지를 그리기 탭의 캔버스에 올려 모든 모델이 읽게 합니다 (Ctrl+Return)</translation>
    </message>
    <message>
        <source>Below this confidence the app answers &quot;not sure&quot;</source>
        <translation>신뢰도가 이보다 낮으면 &quot;잘 모르겠음&quot;이라고 답합니다</translation>
    </message>
    <message>
        <source>Blue: share of images answered; green: accuracy on those answered</source>
        <translation>파랑: 답한 이미지의 비율, 초록: 답한 이미지의 정확도</translation>
    </message>
    <message>
        <source>&amp;Row percentages</source>
        <translation>행 백분율(&amp;R)</translation>
    </message>
    <message>
        <source>Put on &amp;Canvas</source>
        <translation>캔버스에 올리기(&amp;C)</translation>
    </message>
    <message>
        <source>{0} right, {1} wrong</source>
        <translation>맞음 {0}, 틀림 {1}</translation>
    </message>
    <message>
        <source>{0} read as {1}: {2}</source>
        <translation>{0} → {1}: {2}개</translation>
    </message>
    <message>
        <source>Below {0}% confidence: &quot;not sure&quot;. Answers {1:.1f}% of the images, {2} of those right.</source>
        <translation>신뢰도 {0}% 미만: &quot;잘 모르겠음&quot;. 전체의 {1:.1f}%에 답하며, 답한 것의 정답률 {2}.</translation>
    </message>
    <message>
        <source>Click a cell of the matrix to see its images.</source>
        <translation>행렬의 칸을 누르면 그 이미지들이 보입니다.</translation>
    </message>
    <message>
        <source> (upper line: {0}, lower line: {1})</source>
        <translation> (위쪽 선: {0}, 아래쪽 선: {1})</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s): {0}, most confident first</source>
        <translation>
            <numerusform>이미지 %n개: {0}, 신뢰도가 높은 것부터</numerusform>
        </translation>
    </message>
    <message>
        <source>true {0}, read as {1}</source>
        <translation>실제 {0}, 판단 {1}</translation>
    </message>
    <message>
        <source>every {0} read wrong</source>
        <translation>잘못 읽은 모든 {0}</translation>
    </message>
    <message>
        <source>every other digit read as {0}</source>
        <translation>판단이 {0}인 다른 모든 숫자</translation>
    </message>
</context>
<context>
    <name>RunChart</name>
    <message>
        <source>Pick a variant and press Train (Ctrl+T): its cost appears here batch by batch, with the test accuracy after each epoch.
Or add a saved model&apos;s curve to compare runs, as on the lecture&apos;s slides.</source>
        <translation>실습 모델을 고르고 학습(Ctrl+T)을 누르세요. batch마다 cost가, epoch마다 테스트 정확도가 여기에 그려집니다.
또는 강의 슬라이드처럼 저장된 모델의 곡선을 추가해 실행 결과를 비교하세요.</translation>
    </message>
    <message>
        <source>cost</source>
        <translation>cost</translation>
    </message>
    <message>
        <source>test acc. %</source>
        <translation>테스트 정확도 %</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>epoch</translation>
    </message>
    <message>
        <source>Cost and accuracy chart; no runs shown</source>
        <translation>cost와 정확도 차트, 표시한 실행 없음</translation>
    </message>
    <message>
        <source>{0}: last cost {1}, test accuracy {2}</source>
        <translation>{0}: 마지막 cost {1}, 테스트 정확도 {2}</translation>
    </message>
    <message>
        <source>Cost and accuracy chart; {0}</source>
        <translation>cost와 정확도 차트, {0}</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>{0}: test cost after each epoch</source>
        <translation>{0}: epoch마다 테스트 cost</translation>
    </message>
    <message>
        <source>{0}: each batch, smoothed</source>
        <translation>{0}: batch별 cost (이동 평균)</translation>
    </message>
    <message>
        <source>{0}: epoch mean, at mid-epoch</source>
        <translation>{0}: epoch 평균, epoch 중간 지점</translation>
    </message>
</context>
<context>
    <name>RunsView</name>
    <message>
        <source>Log scale</source>
        <translation>로그 눈금</translation>
    </message>
    <message>
        <source>Training vs &amp;test</source>
        <translation>학습과 테스트 비교(&amp;T)</translation>
    </message>
    <message>
        <source>Each epoch&apos;s training cost and accuracy beside the test figures, the gap between them shaded: a gap that grows is the network memorizing its training digits (overfitting), which dropout narrows</source>
        <translation>epoch마다 학습 데이터의 cost와 정확도를 테스트 수치 옆에 그리고, 그 차이를 색으로 칠합니다. 차이가 벌어지면 신경망이 학습 숫자를 외우고 있다는 뜻이며(overfitting), dropout이 이 차이를 줄입니다</translation>
    </message>
    <message>
        <source>Runs (tick to overlay):</source>
        <translation>실행 목록 (체크하면 겹쳐 그림):</translation>
    </message>
    <message>
        <source>Tick runs to overlay their curves</source>
        <translation>실행을 체크하면 곡선이 겹쳐 그려집니다</translation>
    </message>
    <message>
        <source>Add saved model&apos;s curve</source>
        <translation>저장된 모델의 곡선 추가</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>PNG로 내보내기…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV로 내보내기…</translation>
    </message>
    <message>
        <source>The lecture&apos;s log lines (Epoch: 0001 cost = ...) appear here while a run trains.</source>
        <translation>학습하는 동안 강의의 로그 줄(Epoch: 0001 cost = ...)이 여기에 나옵니다.</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>저장됨</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>same as run {0}</source>
        <translation>실행 {0}번과 같음</translation>
    </message>
    <message>
        <source>Same settings, seed, device and data as run {0}: its curves lie on top of that run&apos;s.</source>
        <translation>실행 {0}번과 설정, seed, 장치, 데이터가 같아 곡선이 그 실행의 곡선과 겹칩니다.</translation>
    </message>
    <message>
        <source>Saved model</source>
        <translation>저장된 모델</translation>
    </message>
    <message>
        <source>Show the cost curve of:</source>
        <translation>cost 곡선을 볼 모델:</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>차트 내보내기</translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>기록 내보내기</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>내보낼 수 없습니다</translation>
    </message>
</context>
<context>
    <name>SamplesPanel</name>
    <message>
        <source>Cannot save {0}: {1} is not a model file that may be replaced.</source>
        <translation>{0} 모델을 저장할 수 없습니다. 파일 {1}: 바꿀 수 있는 모델 파일이 아닙니다.</translation>
    </message>
    <message>
        <source>Replace model?</source>
        <translation>모델을 바꿀까요?</translation>
    </message>
    <message>
        <source>A model file {0} exists (you may have trained or received it under that name). Replace it with the personal model when personalizing finishes?</source>
        <translation>모델 파일 {0}: 이미 있습니다 (그 이름으로 직접 학습했거나 받은 모델일 수 있습니다). 개인화가 끝나면 개인 모델로 바꿀까요?</translation>
    </message>
    <message>
        <source>All digits</source>
        <translation>모든 숫자</translation>
    </message>
    <message>
        <source>Only {0}s</source>
        <translation>{0}만</translation>
    </message>
    <message>
        <source>Teach mnistpad My Handwriting…</source>
        <translation>mnistpad에 내 손글씨 가르치기…</translation>
    </message>
    <message>
        <source>Draw each digit a few times when asked</source>
        <translation>요청할 때마다 각 숫자를 몇 번씩 그리세요</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Delete the selected samples (Delete)</source>
        <translation>선택한 샘플을 삭제합니다 (Delete)</translation>
    </message>
    <message>
        <source>Undo Delete</source>
        <translation>삭제 취소</translation>
    </message>
    <message>
        <source>Bring back the samples deleted last (Ctrl+Z)</source>
        <translation>마지막으로 삭제한 샘플을 되살립니다 (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>폴더 열기</translation>
    </message>
    <message>
        <source>Show the sample files in your file manager</source>
        <translation>파일 관리자에서 샘플 파일을 봅니다</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Your samples: {0}  ({1} in all, {2} corrections of a misreading)</source>
        <translation>내 샘플: {0}  (모두 {1}개, 잘못 읽은 것을 바로잡은 것 {2}개)</translation>
    </message>
    <message>
        <source>No samples yet. On the Draw tab, draw a digit and press its key (0-9) to keep it, or press Teach.</source>
        <translation>아직 샘플이 없습니다. 그리기 탭에서 숫자를 그리고 그 숫자 키(0-9)를 눌러 저장하거나, 가르치기를 누르세요.</translation>
    </message>
    <message>
        <source>{0} (read {1})</source>
        <translation>{0} (판단 {1})</translation>
    </message>
    <message>
        <source>Personalize {0}</source>
        <translation>{0} 개인화</translation>
    </message>
    <message>
        <source>Fine-tune a copy of {0} on your samples in the background; the result becomes the active model. Saved as: {1}</source>
        <translation>{0}의 사본을 내 샘플로 백그라운드에서 fine-tuning합니다. 결과는 현재 모델이 됩니다. 저장 이름: {1}</translation>
    </message>
    <message>
        <source>{0} is a personal model: its base, {1}, is personalized again on all your samples.</source>
        <translation>{0}: 개인화 모델이라, 원본 모델 {1}부터 내 샘플 전체로 다시 개인화합니다.</translation>
    </message>
    <message>
        <source>Personalizing {0} on your samples…</source>
        <translation>내 샘플로 {0} 개인화 중…</translation>
    </message>
    <message>
        <source>about {0} left</source>
        <translation>약 {0} 남음</translation>
    </message>
    <message>
        <source>Personalizing is running</source>
        <translation>개인화가 진행 중입니다</translation>
    </message>
    <message>
        <source>A personal model is being fine-tuned ({0}% done); stopping now saves nothing.</source>
        <translation>개인 모델을 fine-tuning하는 중입니다({0}% 완료). 지금 멈추면 아무것도 저장되지 않습니다.</translation>
    </message>
    <message>
        <source>Keep Personalizing</source>
        <translation>계속 개인화</translation>
    </message>
    <message>
        <source>Stop and Quit</source>
        <translation>멈추고 끝내기</translation>
    </message>
    <message>
        <source> ({0} unreadable samples skipped)</source>
        <translation> (읽을 수 없는 샘플 {0}개 건너뜀)</translation>
    </message>
    <message>
        <source>Saved {0}: {1}.{2}</source>
        <translation>{0}에 저장했습니다: {1}.{2}</translation>
    </message>
    <message>
        <source>Personalizing was cancelled; nothing was saved.</source>
        <translation>개인화를 취소했습니다. 아무것도 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>Personalizing failed: {0}</source>
        <translation>개인화 실패: {0}</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Keep the drawing as one of your samples (Draw tab)</source>
        <translation>그림을 내 샘플로 저장 (그리기 탭)</translation>
    </message>
    <message>
        <source>0 - 9</source>
        <translation>0 - 9</translation>
    </message>
    <message>
        <source>Keep the drawing the teaching drill asks for</source>
        <translation>가르치기 연습이 요청한 그림을 저장</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Train / cancel (Train tab)</source>
        <translation>학습 / 취소 (학습 탭)</translation>
    </message>
    <message>
        <source>Evaluate again / cancel (Evaluate tab)</source>
        <translation>다시 평가 / 취소 (평가 탭)</translation>
    </message>
    <message>
        <source>Put the chosen gallery image on the canvas (Evaluate tab)</source>
        <translation>고른 갤러리 이미지를 캔버스에 올리기 (평가 탭)</translation>
    </message>
    <message>
        <source>Delete samples / undo (Samples tab)</source>
        <translation>샘플 삭제 / 되돌리기 (샘플 탭)</translation>
    </message>
    <message>
        <source>Delete / Ctrl+Z</source>
        <translation>Delete / Ctrl+Z</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>단축키</translation>
    </message>
    <message>
        <source>About mnistpad</source>
        <translation>mnistpad 정보</translation>
    </message>
    <message>
        <source>Draw a digit and see how each model of the lecture &lt;i&gt;Lab 10: NN, ReLU, Xavier, Dropout, and Adam&lt;/i&gt; (Deep Learning Zero To All, Sung Kim) and the CNNs of Lab 11 read it; train them yourself and compare their cost curves; teach it your handwriting.</source>
        <translation>숫자를 그리면 강의 &lt;i&gt;Lab 10: NN, ReLU, Xavier, Dropout, and Adam&lt;/i&gt;(모두를 위한 딥러닝, 김성훈)의 각 모델과 Lab 11의 CNN이 그것을 어떻게 읽는지 봅니다. 직접 학습시키고 cost 곡선을 비교하고, 내 손글씨를 가르쳐 보세요.</translation>
    </message>
    <message>
        <source>MNIST by Yann LeCun, Corinna Cortes and Christopher J.C. Burges. Pen-drawn digits by E. Alpaydin and F. Alimoglu (UCI, CC BY 4.0).</source>
        <translation>MNIST: Yann LeCun, Corinna Cortes, Christopher J.C. Burges. 펜으로 쓴 숫자: E. Alpaydin, F. Alimoglu (UCI, CC BY 4.0).</translation>
    </message>
</context>
<context>
    <name>Teacher</name>
    <message>
        <source>The drill asks for {a} {0}: draw it and press Enter, or Skip.</source>
        <translation>연습 문제는 {0}{을} 그리는 것입니다. 그린 뒤 Enter를 누르거나 건너뛰세요.</translation>
    </message>
    <message>
        <source>Draw a digit first, then press its key to keep it as one of your samples.</source>
        <translation>먼저 숫자를 그린 다음 그 숫자 키를 눌러 내 샘플로 저장하세요.</translation>
    </message>
    <message>
        <source>Could not save the sample: {0}</source>
        <translation>샘플을 저장할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Saved as {a} {0}: a correction ({1} read {2}).</source>
        <translation>{0}{으로} 저장했습니다: 바로잡음 ({1}의 판단: {2}).</translation>
    </message>
    <message>
        <source>Saved as {a} {0}.</source>
        <translation>{0}{으로} 저장했습니다.</translation>
    </message>
    <message>
        <source>The drill asks for each digit {0} times: {1} drawings per digit make a useful personal model (they halve the errors on your other digits).</source>
        <translation>연습에서는 숫자마다 {0}번씩 그립니다. 숫자마다 {1}개를 그리면 쓸 만한 개인화 모델이 됩니다 (다른 숫자의 오류가 절반으로 줄어듭니다).</translation>
    </message>
    <message>
        <source>Draw {a} {0}  ({1} of {2})   ·   {3} of {4} in all</source>
        <translation>숫자 {0} 그리기 ({1}/{2})   ·   전체 {3}/{4}</translation>
    </message>
</context>
<context>
    <name>TeachingHooks</name>
    <message>
        <source>Hand&amp;writing</source>
        <translation>손글씨(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Teach mnistpad My Handwriting…</source>
        <translation>mnistpad에 내 손글씨 가르치기(&amp;T)…</translation>
    </message>
    <message>
        <source>Draw each digit a few times when asked</source>
        <translation>요청할 때마다 각 숫자를 몇 번씩 그리세요</translation>
    </message>
    <message>
        <source>&amp;Personalize the Active Model</source>
        <translation>현재 모델 개인화(&amp;P)</translation>
    </message>
    <message>
        <source>Fine-tune a copy of the active model on your samples</source>
        <translation>현재 모델의 사본을 내 샘플로 fine-tuning합니다</translation>
    </message>
    <message>
        <source>The drill kept no drawings.</source>
        <translation>연습에서 저장한 그림이 없습니다.</translation>
    </message>
    <message>
        <source>Teaching done</source>
        <translation>가르치기 완료</translation>
    </message>
    <message>
        <source>You drew {0} digits ({1}). Personalize {2} on your samples now? It runs in the background; you can keep drawing.</source>
        <translation>숫자 {0}개를 그렸습니다 ({1}). 지금 내 샘플로 {2} 모델을 개인화할까요? 백그라운드에서 실행되니 계속 그려도 됩니다.</translation>
    </message>
    <message>
        <source>{0} is now active: {1}</source>
        <translation>현재 모델: {0} — {1}</translation>
    </message>
</context>
<context>
    <name>TrainingForm</name>
    <message>
        <source>A lab variant; choosing one fills in the lecture&apos;s settings</source>
        <translation>강의의 lab 실습 모델입니다. 고르면 강의의 설정이 채워집니다</translation>
    </message>
    <message>
        <source>Normal N(0,1)</source>
        <translation>정규분포 N(0,1)</translation>
    </message>
    <message>
        <source>Probability of keeping a unit while training (1 = no dropout)</source>
        <translation>학습 중 유닛을 남길 확률 (1 = dropout 없음)</translation>
    </message>
    <message>
        <source>Batch normalization</source>
        <translation>batch normalization</translation>
    </message>
    <message>
        <source>BatchNorm before each hidden ReLU (fully connected nets)</source>
        <translation>각 은닉층 ReLU 앞의 BatchNorm (완전 연결 신경망)</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>The saved model&apos;s name (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;)</source>
        <translation>저장할 모델의 이름 (문자, 숫자, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;)</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>실습 모델</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>epochs</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>batch size</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>learning rate</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>optimizer</translation>
    </message>
    <message>
        <source>Initialization</source>
        <translation>초기화</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>seed</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>저장 이름</translation>
    </message>
    <message>
        <source>{0} (beyond the lecture)</source>
        <translation>{0} (강의 범위 밖)</translation>
    </message>
    <message>
        <source>{0} (lab {1})</source>
        <translation>{0} (lab {1})</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Stop the run; nothing is saved (Ctrl+.)</source>
        <translation>실행을 멈춥니다. 아무것도 저장되지 않습니다 (Ctrl+.)</translation>
    </message>
    <message>
        <source>Use saved</source>
        <translation>저장된 모델 사용</translation>
    </message>
    <message>
        <source>Load this variant&apos;s saved model without training</source>
        <translation>학습하지 않고 이 실습 모델의 저장된 모델을 불러옵니다</translation>
    </message>
    <message>
        <source>Use result</source>
        <translation>결과 사용</translation>
    </message>
    <message>
        <source>Make the model just trained the active one</source>
        <translation>방금 학습한 모델을 현재 모델로 만듭니다</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <source>Name taken</source>
        <translation>이미 있는 이름</translation>
    </message>
    <message>
        <source>&apos;{0}&apos; is a shipped model, which is never overwritten. Choose another name.</source>
        <translation>&apos;{0}&apos;: 함께 배포된 모델이라 덮어쓸 수 없습니다. 다른 이름을 고르세요.</translation>
    </message>
    <message>
        <source>Replace model?</source>
        <translation>모델을 바꿀까요?</translation>
    </message>
    <message>
        <source>A model named &apos;{0}&apos; exists. Replace it when this run finishes?</source>
        <translation>&apos;{0}&apos;이라는 모델이 이미 있습니다. 이번 실행이 끝나면 바꿀까요?</translation>
    </message>
    <message>
        <source>T&amp;raining</source>
        <translation>학습(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>학습(&amp;T)</translation>
    </message>
    <message>
        <source>Train with these settings in the background (Ctrl+T)</source>
        <translation>이 설정으로 백그라운드에서 학습합니다 (Ctrl+T)</translation>
    </message>
    <message>
        <source>Train with the Train tab&apos;s settings (Ctrl+T there)</source>
        <translation>학습 탭의 설정으로 학습합니다 (학습 탭에서 Ctrl+T)</translation>
    </message>
    <message>
        <source>&amp;Cancel Training</source>
        <translation>학습 취소(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the run; nothing is saved (Ctrl+. there)</source>
        <translation>실행을 멈춥니다. 아무것도 저장되지 않습니다 (학습 탭에서 Ctrl+.)</translation>
    </message>
    <message>
        <source>A run is already going; cancel it or wait for it to finish.</source>
        <translation>실행이 이미 진행 중입니다. 취소하거나 끝날 때까지 기다리세요.</translation>
    </message>
    <message>
        <source>Cannot train</source>
        <translation>학습할 수 없습니다</translation>
    </message>
    <message>
        <source>Training {0}: {1}, {2}, batch {3}, {4} lr {5}, init {6}, keep_prob {7}</source>
        <translation>{0} 학습: {1}, {2}, batch {3}, {4} lr {5}, init {6}, keep_prob {7}</translation>
    </message>
    <message numerus="yes">
        <source>%n epoch(s)</source>
        <translation>
            <numerusform>%n epoch</numerusform>
        </translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>학습이 진행 중입니다</translation>
    </message>
    <message>
        <source>{0} is still training ({1}% done); stopping now saves nothing.</source>
        <translation>{0} 모델을 아직 학습하는 중입니다({1}% 완료). 지금 멈추면 아무것도 저장되지 않습니다.</translation>
    </message>
    <message>
        <source>Keep Training</source>
        <translation>계속 학습</translation>
    </message>
    <message>
        <source>Stop and Quit</source>
        <translation>멈추고 끝내기</translation>
    </message>
    <message>
        <source>Loading MNIST…</source>
        <translation>MNIST 불러오는 중…</translation>
    </message>
    <message>
        <source>Downloading MNIST…</source>
        <translation>MNIST 내려받는 중…</translation>
    </message>
    <message>
        <source>Training on {0}…</source>
        <translation>{0}에서 학습 중…</translation>
    </message>
    <message>
        <source>test accuracy {0:.4f}   ({1:.1f}s, {2:,.0f} samples/s)</source>
        <translation>테스트 정확도 {0:.4f}   ({1:.1f}초, 초당 {2:,.0f}개)</translation>
    </message>
    <message>
        <source>estimating time left…</source>
        <translation>남은 시간 계산 중…</translation>
    </message>
    <message>
        <source>about {0} left</source>
        <translation>약 {0} 남음</translation>
    </message>
    <message>
        <source>Epoch {0} of {1} · {2}% · {3}</source>
        <translation>epoch {0} / {1} · {2}% · {3}</translation>
    </message>
    <message>
        <source>Training stopped: {0}</source>
        <translation>학습이 멈췄습니다: {0}</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>{0}에 저장했습니다</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>Cancelled; nothing was saved.</source>
        <translation>취소했습니다. 아무것도 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Error: {0}</source>
        <translation>오류: {0}</translation>
    </message>
    <message>
        <source>Training stopped</source>
        <translation>학습이 멈췄습니다</translation>
    </message>
    <message>
        <source>Download failed</source>
        <translation>내려받기 실패</translation>
    </message>
    <message>
        <source>Could not download MNIST: {0}</source>
        <translation>MNIST를 내려받을 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Try again, or choose a folder that holds MNIST.</source>
        <translation>다시 시도하거나 MNIST가 있는 폴더를 고르세요.</translation>
    </message>
    <message>
        <source>MNIST needed</source>
        <translation>MNIST가 필요합니다</translation>
    </message>
    <message>
        <source>MNIST (about 12 MB) is needed to train; it is not in {0}.</source>
        <translation>학습하려면 MNIST(약 12 MB)가 필요한데 {0}에 없습니다.</translation>
    </message>
    <message>
        <source>Download it, or choose the folder that holds it.</source>
        <translation>내려받거나 MNIST가 있는 폴더를 고르세요.</translation>
    </message>
    <message>
        <source>MNIST is missing</source>
        <translation>MNIST가 없습니다</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>내려받기</translation>
    </message>
    <message>
        <source>Choose Folder…</source>
        <translation>폴더 고르기…</translation>
    </message>
    <message>
        <source>Folder that holds MNIST (its IDX files, raw/ or MNIST/raw/)</source>
        <translation>MNIST가 있는 폴더 (IDX 파일, raw/ 또는 MNIST/raw/)</translation>
    </message>
    <message>
        <source>No MNIST there</source>
        <translation>그곳에 MNIST가 없습니다</translation>
    </message>
    <message>
        <source>{0} lacks {1} (looked in it, in raw/ and in MNIST/raw/).</source>
        <translation>{0} 폴더에 없는 파일: {1} (그 폴더와 raw/, MNIST/raw/를 찾아봄).</translation>
    </message>
    <message>
        <source>MNIST from {0}</source>
        <translation>MNIST 위치: {0}</translation>
    </message>
    <message>
        <source>Not saved yet</source>
        <translation>아직 저장되지 않음</translation>
    </message>
    <message>
        <source>No saved model named &apos;{0}&apos;.</source>
        <translation>&apos;{0}&apos;이라는 저장된 모델이 없습니다.</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>&amp;Open Image…</source>
        <translation>이미지 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Classify a digit from an image file</source>
        <translation>이미지 파일의 숫자를 분류합니다</translation>
    </message>
    <message>
        <source>Open &amp;Model…</source>
        <translation>모델 열기(&amp;M)…</translation>
    </message>
    <message>
        <source>Load a .safetensors model file</source>
        <translation>.safetensors 모델 파일을 불러옵니다</translation>
    </message>
    <message>
        <source>&amp;Save Drawing…</source>
        <translation>그림 저장(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the drawing as a PNG image</source>
        <translation>그림을 PNG 이미지로 저장합니다</translation>
    </message>
    <message>
        <source>Show as &amp;PyTorch Code…</source>
        <translation>PyTorch 코드로 보기(&amp;P)…</translation>
    </message>
    <message>
        <source>The active model as a standalone PyTorch script, written the way the lab code reads</source>
        <translation>현재 모델을 실습 코드처럼 읽히는 독립 PyTorch 스크립트로 보여 줍니다</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>실행 취소(&amp;U)</translation>
    </message>
    <message>
        <source>Undo the last stroke (Ctrl+Z)</source>
        <translation>마지막 획을 되돌립니다 (Ctrl+Z)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>다시 실행(&amp;R)</translation>
    </message>
    <message>
        <source>Redo the stroke undone last (Ctrl+Shift+Z)</source>
        <translation>마지막으로 되돌린 획을 다시 그립니다 (Ctrl+Shift+Z)</translation>
    </message>
    <message>
        <source>&amp;Clear</source>
        <translation>지우기(&amp;C)</translation>
    </message>
    <message>
        <source>Clear the canvas (Esc or Delete)</source>
        <translation>캔버스를 비웁니다 (Esc 또는 Delete)</translation>
    </message>
    <message>
        <source>&amp;Eraser</source>
        <translation>지우개(&amp;E)</translation>
    </message>
    <message>
        <source>Erase instead of drawing (E)</source>
        <translation>그리는 대신 지웁니다 (E)</translation>
    </message>
    <message>
        <source>Thicker Brush</source>
        <translation>브러시 굵게</translation>
    </message>
    <message>
        <source>Thinner Brush</source>
        <translation>브러시 가늘게</translation>
    </message>
    <message>
        <source>Readings With &amp;Dropout On</source>
        <translation>dropout 켜고 읽어 보기(&amp;D)</translation>
    </message>
    <message>
        <source>Also show what the model would read with dropout left on, as while training</source>
        <translation>학습 때처럼 dropout을 켠 채로 모델이 무엇으로 읽을지도 보여 줍니다</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>단축키(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About mnistpad</source>
        <translation>mnistpad 정보(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>Drawing Toolbar</source>
        <translation>그리기 도구 모음</translation>
    </message>
    <message>
        <source> Model: </source>
        <translation> 모델: </translation>
    </message>
    <message>
        <source> Brush: </source>
        <translation> 브러시: </translation>
    </message>
    <message>
        <source>Brush width (the default matches MNIST&apos;s stroke thickness)</source>
        <translation>브러시 굵기 (기본값은 MNIST의 획 굵기와 같습니다)</translation>
    </message>
</context>
<context>
    <name>describe</name>
    <message>
        <source>not scored</source>
        <translation>점수 없음</translation>
    </message>
    <message>
        <source>{0} of {1} digits</source>
        <translation>{0} ({1}개 숫자)</translation>
    </message>
    <message>
        <source>MNIST {0}, drawn {1}</source>
        <translation>MNIST {0}, 그린 숫자 {1}</translation>
    </message>
    <message>
        <source>lab {0}</source>
        <translation>lab {0}</translation>
    </message>
    <message>
        <source>{0} (stale)</source>
        <translation>{0} (예전 측정)</translation>
    </message>
    <message>
        <source>{0} (picture {1}, strokes {2})</source>
        <translation>{0} (그림 {1}, 획 {2})</translation>
    </message>
    <message>
        <source>{0} (stale: measured with an older stroke renderer or other pen digits)</source>
        <translation>{0} (예전 측정: 이전 획 렌더러나 다른 펜 숫자로 측정함)</translation>
    </message>
    <message>
        <source>{0}, read with the strokes as a drawing is read (the picture alone {1}, the strokes alone {2})</source>
        <translation>{0}, 그린 숫자를 읽을 때처럼 획과 함께 읽음 (그림만 {1}, 획만 {2})</translation>
    </message>
    <message>
        <source>{0}
MNIST: {1}
Drawn digits of 6 writers never trained on: {2}
Trained on: {3}
{4}</source>
        <translation>{0}
MNIST: {1}
학습에 쓰지 않은 25~30번 필기자 6명의 숫자: {2}
학습 데이터: {3}
{4}</translation>
    </message>
</context>
</TS>
